/**
 * History routing: every page has a URL (the gateway answers index.html for any path that is not a
 * file), filters live in the query string, and links are real anchors so the browser's middle-click
 * and back button work.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Location { path: string; query: URLSearchParams }

const current = (): Location => ({ path: location.pathname, query: new URLSearchParams(location.search) });
const listeners = new Set<() => void>();

/** Goes to `href` without a reload (replace: no new history entry, e.g. typing in the search box). */
export function navigate(href: string, replace = false): void {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  listeners.forEach((l) => l());
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = () => setLoc(current());
    listeners.add(update);
    addEventListener('popstate', update);
    return () => { listeners.delete(update); removeEventListener('popstate', update); };
  }, []);
  return loc;
}

/** Same-origin left clicks on anchors navigate inside the app. */
export function interceptLinks(): void {
  document.addEventListener('click', (event) => {
    const a = (event.target as Element).closest('a');
    if (!a || a.target || a.origin !== location.origin || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(a.pathname + a.search);
  });
}

export const appHref = (name: string, tab = '') => `/apps/${encodeURIComponent(name)}${tab ? `/${tab}` : ''}`;
