/**
 * Durations as Argo CD's retry backoff accepts them: a bare number of seconds (`5`, `"5"`) or a Go
 * duration (`5s`, `3m`, `1h30m`, `500ms`, `1.5h`). Normalised to seconds so the pure auto-sync code
 * needs no parser.
 */

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
const GO_DURATION = /^(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h)/;

/**
 * Seconds in a duration, or undefined when the text is not one. Negative durations are refused.
 * @example durationSeconds('1h30m') // 5400
 * @example durationSeconds(5) // 5
 */
export function durationSeconds(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
  if (text === '0') return 0;
  let rest = text;
  let total = 0;
  while (rest.length > 0) {
    const match = GO_DURATION.exec(rest);
    if (!match) return undefined;
    const unit = /(ns|us|µs|ms|s|m|h)$/.exec(match[0])![1];
    total += Number(match[0].slice(0, -unit.length)) * UNIT_SECONDS[unit];
    rest = rest.slice(match[0].length);
  }
  return text.length > 0 ? total : undefined;
}
