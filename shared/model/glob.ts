/**
 * The glob matching AppProjects use for repositories, destinations, groups and kinds. Like Argo CD's
 * (gobwas/glob without separators), `*` matches any run of characters, `/` included, so
 * `https://github.com/org/*` matches every repository of `org`. Also `?`, `[abc]`, `[!a-z]`, `{a,b}`.
 * A leading `!` (deny) is handled by the callers in project-policy.ts, not here.
 */

const cache = new Map<string, RegExp>();

/**
 * Whether `value` matches the glob `pattern` as a whole. The empty pattern matches only "".
 * @example globMatch('https://github.com/org/*', 'https://github.com/org/a/b') // true
 * @example globMatch('*.k8s.io', 'rbac.authorization.k8s.io') // true
 */
export function globMatch(pattern: string, value: string): boolean {
  let regex = cache.get(pattern);
  if (!regex) {
    regex = new RegExp(`^${globToRegexSource(pattern)}$`, 's');
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, regex);
  }
  return regex.test(value);
}

/** Whether a pattern is a deny pattern (`!…`). */
export function isDenyPattern(pattern: string): boolean {
  return pattern.startsWith('!');
}

function globToRegexSource(pattern: string): string {
  let out = '';
  let braceDepth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) out += escapeRegex(pattern[++i]);
    else if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        out += characterClass(pattern.slice(i + 1, end));
        i = end;
      }
    } else if (c === '{') {
      braceDepth++;
      out += '(?:';
    } else if (c === '}' && braceDepth > 0) {
      braceDepth--;
      out += ')';
    } else if (c === ',' && braceDepth > 0) out += '|';
    else out += escapeRegex(c);
  }
  return out + ')'.repeat(braceDepth);
}

function characterClass(body: string): string {
  const negated = body.startsWith('!') || body.startsWith('^');
  const chars = (negated ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&');
  return `[${negated ? '^' : ''}${chars}]`;
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
