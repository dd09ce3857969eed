// Evaluates the patterns of a cluster's JSON schemas in linear time. A cluster sends its own schemas, and a
// `pattern` such as ^(\w+\s?)*$ takes a backtracking engine (JavaScript's RegExp, like Kazoo's PCRE) exponential
// time on a 41-character name: `drafts validate` and `plan` froze, and in the app the core's event loop would. RE2
// (re2js, a pure JavaScript port: no native build, no WASM) matches in time linear in the input, whatever the
// pattern. The few PCRE features RE2 cannot run in linear time (look-arounds, back-references) make a pattern
// "unchecked": it fails the value on purpose, and the validator reports that failure as a warning that names the
// field and the pattern instead of an error.
import type { RE2JS as RE2JSClass } from 're2js';
import { lazyRequire } from '../lazy-require.ts';

const re2js = lazyRequire<{ RE2JS: typeof RE2JSClass }>('re2js');

const POSIX: Record<string, string> = {
  alnum: 'a-zA-Z0-9', alpha: 'a-zA-Z', digit: '0-9', space: '\\s', upper: 'A-Z', lower: 'a-z', xdigit: '0-9a-fA-F', word: '\\w', punct: '!-\\/:-@\\[-`{-~',
};

/** Kazoo's schemas use PCRE, with POSIX classes like [[:alnum:]] inside brackets; spelled out as plain ranges. */
export function translatePosix(source: string): string {
  return source.replace(/\[:(\w+):\]/g, (m, n: string) => POSIX[n] ?? m);
}

/** What ajv calls: `test`, and `toString`, which ajv uses as the pattern's cache key (ajv's `code.regExp` contract). */
export interface SchemaPattern {
  test(value: string): boolean;
  toString(): string;
  /** False when RE2 cannot run the pattern: then `test` always fails and the failure is reported as a warning. */
  readonly checked: boolean;
  readonly source: string;
}

/**
 * The pattern for linear-time matching (or marked unchecked when RE2 does not support it). RE2 compiles it on first use:
 * a validator holds every pattern of the cluster's schemas, and a document usually meets only a few of them.
 */
export function schemaPattern(source: string, flags = ''): SchemaPattern {
  // Unique per pattern and flags: ajv shares one compiled pattern between all schemas with the same key.
  const key = `/${source}/${flags}`;
  let compiled: { test(value: string): boolean } | null | undefined;
  const re = () => {
    if (compiled === undefined) {
      const { RE2JS } = re2js();
      const bits = (flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0) | (flags.includes('s') ? RE2JS.DOTALL : 0) | (flags.includes('m') ? RE2JS.MULTILINE : 0);
      try {
        compiled = RE2JS.compile(translatePosix(source), bits);
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
  return {
    test: (value) => re()?.test(value) ?? false,
    toString: () => key,
    get checked() {
      return re() !== null;
    },
    source,
  };
}

/** ajv's `code.regExp` option: the engine ajv compiles every `pattern` and `patternProperties` key with. */
export function schemaRegExpEngine(): ((source: string, flags: string) => SchemaPattern) & { code: string } {
  const engine = (source: string, flags: string) => schemaPattern(source, flags);
  // The name ajv writes into standalone code (the validator cache): schema-validate.ts binds it to schemaPattern when
  // it runs that code, so cached validators match on RE2 too.
  return Object.assign(engine, { code: 'schemaPattern' });
}

/** True when RE2 cannot run this pattern, i.e. the value could not be checked against it. */
export function isUncheckedPattern(source: string): boolean {
  return !schemaPattern(source).checked;
}
