/** The dashboard: a frame with the page the URL names. */
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import './styles.css';
import { interceptLinks, navigate, useLocation, type Location } from './route.ts';
import { ThemeToggle } from './theme.tsx';
import { ensureSignedIn, loadConfig } from './auth.ts';
import { ListPage } from './pages/list.tsx';
import { AppPage } from './pages/app.tsx';
import { ExecutionPage } from './pages/execution.tsx';
import { ClusterPage } from './pages/cluster.tsx';

function page(loc: Location) {
  const parts = loc.path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0 || (parts[0] === 'apps' && parts.length === 1)) return <ListPage query={loc.query} />;
  if (parts[0] === 'apps') return <AppPage name={parts[1]} tab={parts[2] ?? 'overview'} />;
  if (parts[0] === 'executions' && parts[1]) return <ExecutionPage name={parts[1]} />;
  if (parts[0] === 'clusters' && parts[1]) return <ClusterPage name={parts[1]} />;
  return <p class="card">No page at {loc.path}. <a href="/">Applications</a></p>;
}

function App() {
  const loc = useLocation();
  useEffect(() => {
    // `/` focuses the search box (or goes to the list that has one).
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || (event.target as Element).closest('input, textarea, select')) return;
      event.preventDefault();
      const search = document.querySelector<HTMLInputElement>('input[type=search]');
      if (search) search.focus();
      else navigate('/');
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);
  return (
    <>
      <header class="top">
        <a class="brand" href="/">gitwave</a>
        <nav><a href="/">Applications</a></nav>
        <span class="grow" />
        <ThemeToggle />
      </header>
      <main>{page(loc)}</main>
    </>
  );
}

const root = document.getElementById('root')!;
loadConfig().then(ensureSignedIn).then(
  (ready) => {
    if (!ready) return; // on the way to the sign-in page
    interceptLinks();
    render(<App />, root);
  },
  (error: Error) => { root.textContent = error.message; },
);
