/**
 * JSON pointers (RFC 6901) as `ignoreDifferences.jsonPointers` uses them: `/` separates tokens, `~1`
 * stands for `/` and `~0` for `~`. Deleting a path that does not exist is not an error.
 */
import { isRecord } from '../model/object.ts';

/**
 * The tokens of a pointer, or an error message when it is malformed.
 * @example parsePointer('/metadata/annotations/example.com~1x') // ['metadata', 'annotations', 'example.com/x']
 */
export function parsePointer(pointer: string): string[] | { error: string } {
  if (pointer === '') return { error: 'the empty pointer would ignore the whole object' };
  if (!pointer.startsWith('/')) return { error: `"${pointer}" does not start with "/"` };
  const tokens = pointer.slice(1).split('/');
  if (tokens.some((t) => /~[^01]|~$/.test(t))) return { error: `"${pointer}" has a "~" not followed by 0 or 1` };
  return tokens.map(unescapeToken);
}

/**
 * One pointer token unescaped (`~1` → `/`, then `~0` → `~`); also used for ajv's `instancePath`.
 * @example unescapeToken('example.com~1team') // 'example.com/team'
 */
export function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * A pointer for a list of tokens.
 * @example formatPointer(['metadata', 'labels', 'app.kubernetes.io/name']) // '/metadata/labels/app.kubernetes.io~1name'
 */
export function formatPointer(tokens: Array<string | number>): string {
  return tokens.map((t) => '/' + String(t).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function arrayIndex(token: string, length: number): number | undefined {
  if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
  const index = Number(token);
  return index < length ? index : undefined;
}

function child(container: unknown, token: string): unknown {
  if (Array.isArray(container)) {
    const index = arrayIndex(token, container.length);
    return index === undefined ? undefined : container[index];
  }
  return isRecord(container) && Object.hasOwn(container, token) ? container[token] : undefined;
}

/**
 * Deletes the value at the tokens' path, in place. Missing paths are left alone.
 * @example removeAt(obj, ['spec', 'replicas'])
 */
export function removeAt(root: unknown, tokens: string[]): void {
  let container = root;
  for (const token of tokens.slice(0, -1)) {
    container = child(container, token);
    if (container === undefined) return;
  }
  const last = tokens[tokens.length - 1];
  if (Array.isArray(container)) {
    const index = arrayIndex(last, container.length);
    if (index !== undefined) container.splice(index, 1);
  } else if (isRecord(container)) {
    delete container[last];
  }
}
