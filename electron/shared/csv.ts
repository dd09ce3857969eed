// One CSV cell (RFC 4180): quoted when it holds a quote, a comma or a line break, and neutralised when a spreadsheet
// would run it as a formula. Used by the core's number-list export and by the renderer's CSV downloads, so every
// file Carrier Desk writes quotes the same way.

/** An optional sign, digits, an optional decimal part: what a spreadsheet reads as a number, never as a formula. */
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

/**
 * Whether a spreadsheet (Excel, LibreOffice, Google Sheets) would evaluate the cell: it starts with '=', '@', a tab
 * or a carriage return, or with '+' or '-' not followed by a plain number (so +12125550111 and -5 stay data).
 */
export function isFormulaLike(s: string): boolean {
  const c = s.charAt(0);
  if (c === '=' || c === '@' || c === '\t' || c === '\r') return true;
  return (c === '+' || c === '-') && !PLAIN_NUMBER.test(s);
}

export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  // A leading apostrophe makes a spreadsheet show the cell as text (OWASP's advice for CSV injection).
  if (isFormulaLike(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
