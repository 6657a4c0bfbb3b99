import { useTheme } from './store/selectors';

export function TopBar() {
  const { theme, toggleTheme } = useTheme();
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          ⧉
        </span>
        Kafka Microservices Lab
      </div>
      <div className="topbar-actions">
        <button type="button" className="button ghost" onClick={toggleTheme} aria-label="Toggle light and dark theme">
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
      </div>
    </header>
  );
}
