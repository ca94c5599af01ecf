/**
 * A JSON parse that refuses deep nesting before it parses (SECURITY.md §7 row 5: a signed body
 * nested 100k deep must be a 400, not a stack overflow). The scan is linear and skips strings.
 */

export class JsonTooDeepError extends Error {
  override name = 'JsonTooDeepError';
}

/** Parses `text` as JSON if no object/array is nested deeper than `maxDepth`. */
export function parseJsonWithDepthLimit(text: string, maxDepth = 64): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) throw new JsonTooDeepError(`json nested deeper than ${maxDepth} levels`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return JSON.parse(text);
}
