// One CSV cell (RFC 4180): quoted when it holds a quote, a comma or a line break. Used by the core's number-list
// export and by the renderer's CSV downloads, so every file Carrier Desk writes quotes the same way.

export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
