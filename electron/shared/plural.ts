// "1 job", "2 jobs": counts in messages read by people (core, CLI and renderer).

/** `n` followed by the singular or the plural form of a noun (the plural defaults to singular + "s"). */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
