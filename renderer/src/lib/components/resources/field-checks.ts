// Checks of one typed field as the user types (the message is shown next to the field at once; the core's
// schema validation, run when the typing pauses, covers the rest). Ranges come from Kazoo's schema
// (crossbar-spec §2.2); a port is a 16-bit TCP/UDP port number, 0 not being one a gateway can listen on.
export interface FieldRule {
  kind: 'text' | 'int';
  min?: number | undefined;
  max?: number | undefined;
  required?: boolean | undefined;
  unit?: string | undefined;
}

/** crossbar-spec §2.2: name and gateway server are 1..128 characters (the input stops at 128). */
export const REQUIRED: FieldRule = { kind: 'text', required: true };
export const PORT: FieldRule = { kind: 'int', min: 1, max: 65535 };
/** crossbar-spec §2.2: weight_cost 0..100 (resource and classifier). */
export const WEIGHT: FieldRule = { kind: 'int', min: 0, max: 100 };
/** crossbar-spec §2.2: grace_period 1..20 seconds. */
export const GRACE: FieldRule = { kind: 'int', min: 1, max: 20, unit: 'seconds' };
/** progress_timeout is an integer number of seconds (crossbar-spec §2.2, §2.3); a negative one means nothing. */
export const SECONDS: FieldRule = { kind: 'int', min: 0, unit: 'seconds' };

/** What is wrong with the value as typed, in words for the field; undefined when nothing is. */
export function fieldProblem(value: unknown, rule: FieldRule): string | undefined {
  const empty = value === undefined || value === null || value === '';
  if (empty) return rule.required ? 'Required.' : undefined;
  if (rule.kind === 'text') return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) return `Enter a whole number${rangeWords(rule)}.`;
  if ((rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max)) return `Out of range: enter a whole number${rangeWords(rule)}.`;
  return undefined;
}

function rangeWords(rule: FieldRule): string {
  const unit = rule.unit ? ` ${rule.unit}` : '';
  if (rule.min !== undefined && rule.max !== undefined) return ` from ${rule.min} to ${rule.max}${unit}`;
  if (rule.min !== undefined) return ` of ${rule.min}${unit} or more`;
  if (rule.max !== undefined) return ` up to ${rule.max}${unit}`;
  return unit ? ` of ${rule.unit}` : '';
}

/** The stored value for an integer field's text: a number only when the text is one, else the text itself, so a
 *  half-typed value stays visible (and named by the check) instead of being rewritten under the cursor. */
export function intValue(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return /^-?\d{1,15}$/.test(t) ? Number(t) : text;
}
