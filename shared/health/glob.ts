/**
 * Glob matching for group and kind patterns (custom health check keys, `ignoreDifferences` entries):
 * `*` matches any run of characters (dots included, as Argo CD's globs do), `?` exactly one.
 * Everything else is literal. Compiled patterns are cached.
 */

const compiled = new Map<string, RegExp>();

function compile(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    const body = [...pattern]
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.+()|{}[\]]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, 's');
    compiled.set(pattern, re);
  }
  return re;
}

/**
 * Whether `value` matches the glob `pattern`.
 * @example globMatch('*.crossplane.io', 'ec2.aws.crossplane.io') // true
 * @example globMatch('', '') // true: an empty pattern matches the core group only
 */
export function globMatch(pattern: string, value: string): boolean {
  return compile(pattern).test(value);
}

/** Whether a pattern contains glob characters. */
export function isGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}
