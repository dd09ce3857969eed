// The core's logger: JSON lines to a file in the data dir (and optionally stderr), every line redacted.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogFields, Logger } from './platform.ts';
import { redactor } from './secrets/redactor.ts';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  file?: string;
  level?: Level;
  /** Also write human-readable lines to stderr at or above this level. */
  stderrLevel?: Level | 'off';
  /** Receives every redacted line (tests use it to prove nothing secret is logged). */
  sink?: (line: string) => void;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const stderrMin = opts.stderrLevel && opts.stderrLevel !== 'off' ? ORDER[opts.stderrLevel] : Infinity;
  if (opts.file) mkdirSync(dirname(opts.file), { recursive: true });
  const write = (level: Level, message: string, fields?: LogFields) => {
    if (ORDER[level] < min && ORDER[level] < stderrMin) return;
    const safeFields = fields ? (redactor.redactValue(fields) as LogFields) : undefined;
    const line = JSON.stringify({ t: new Date().toISOString(), level, msg: redactor.redact(message), ...safeFields });
    opts.sink?.(line);
    if (opts.file && ORDER[level] >= min) {
      try {
        appendFileSync(opts.file, line + '\n');
      } catch {
        // Logging must never break the app (disk full, file removed).
      }
    }
    if (ORDER[level] >= stderrMin) process.stderr.write(`${level}: ${redactor.redact(message)}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
