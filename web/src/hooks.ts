/** Data loading with live updates: polls while the page is open, faster while something runs. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> { data: T | undefined; error: string | undefined; reload: () => void }

/**
 * Loads `load()` now and again every `intervalMs(data)` milliseconds (0 = no polling).
 * @example usePoll(() => get<AppDetail>(app(name)), [name], (d) => d?.operation?.phase === 'Running' ? 1000 : 5000)
 */
export function usePoll<T>(load: () => Promise<T>, deps: unknown[], intervalMs: (data: T | undefined) => number = () => 0): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  const [tick, setTick] = useState(0);
  const latest = useRef(state);
  latest.current = state;
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => load().then(
      (data) => { if (live) setState({ data }); return data; },
      (error: Error) => { if (live) setState({ data: latest.current.data, error: error.message }); return latest.current.data; },
    ).then((data) => {
      const wait = intervalMs(data);
      if (live && wait > 0) timer = setTimeout(run, wait);
    });
    void run();
    return () => { live = false; clearTimeout(timer); };
  }, [...deps, tick]);
  return { data: state.data, error: state.error, reload };
}

/**
 * Arrow keys move through `count` rows; Enter opens the selected one. The selection is also kept in a
 * ref that each key updates at once: keys pressed faster than the page re-renders (a quick typist,
 * a test) must not act on the selection of an older render.
 */
export function useListKeys(count: number, open: (index: number) => void): number {
  const [selected, setSelected] = useState(0);
  const current = useRef(0);
  const latest = useRef({ count, open });
  latest.current = { count, open };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.target as Element).closest('input, textarea, select')) return;
      const rows = latest.current.count;
      const at = Math.min(current.current, Math.max(0, rows - 1));
      if (event.key === 'ArrowDown' || event.key === 'j') current.current = Math.min(rows - 1, at + 1);
      else if (event.key === 'ArrowUp' || event.key === 'k') current.current = Math.max(0, at - 1);
      else if (event.key === 'Enter' && rows > 0) latest.current.open(at);
      else return;
      event.preventDefault();
      setSelected(current.current);
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);
  return Math.min(selected, Math.max(0, count - 1));
}

/** A value kept in localStorage (favourites, theme). */
export function useStored<T>(key: string, initial: T): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      const text = localStorage.getItem(key);
      return text === null ? initial : (JSON.parse(text) as T);
    } catch {
      return initial;
    }
  });
  return [value, (next: T) => { localStorage.setItem(key, JSON.stringify(next)); setValue(next); }];
}
