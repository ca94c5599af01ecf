/** Light and dark themes; the choice is kept in localStorage (index.html applies it before the first paint). */
import { useState } from 'preact/hooks';

const KEY = 'gitwave.theme';

export function ThemeToggle() {
  const [theme, setTheme] = useState(document.documentElement.dataset.theme ?? 'light');
  const flip = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    localStorage.setItem(KEY, next);
    setTheme(next);
  };
  return <button type="button" class="ghost" onClick={flip} aria-label={`switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>{theme === 'dark' ? '☀' : '☾'}</button>;
}
