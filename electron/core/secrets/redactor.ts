// Process-wide list of secret values seen by the core; every log line and error message is scrubbed with it.

const MIN_SECRET_LENGTH = 4;

class Redactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | null = null;

  add(secret: string | undefined | null): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    this.pattern = null;
  }

  /** Replaces every known secret, and anything shaped like an auth token or md5 credentials, by '***'. */
  redact(text: string): string {
    if (this.secrets.size > 0) {
      this.pattern ??= new RegExp(
        [...this.secrets].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'),
        'g',
      );
      text = text.replace(this.pattern, '***');
    }
    // JWTs (x-auth-token values) even when not registered.
    return text.replace(/\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g, '***');
  }

  /** Deep-redacts a value for structured logs. */
  redactValue(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (depth > 6 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SENSITIVE_KEY.test(k) ? '***' : this.redactValue(v, depth + 1);
    }
    return out;
  }
}

/** Keys whose values are secrets wherever they appear (Kazoo gateway passwords, api keys, tokens). */
export const SENSITIVE_KEY = /^(password|api_key|apiKey|auth_token|authToken|credentials|x-auth-token|token|secret)$/i;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const redactor = new Redactor();
