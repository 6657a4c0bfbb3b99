import { useTheme } from './store/selectors';

export function TopBar() {
  const { theme, toggleTheme } = useTheme();
  return (
    <header className="topbar">
      <div className="brand">
        <svg className="brand-mark" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          {/* three partitions of a log: the lab's mark */}
          <rect x="3" y="4" width="18" height="4" rx="1.5" />
          <rect x="3" y="10" width="13" height="4" rx="1.5" />
          <rect x="3" y="16" width="16" height="4" rx="1.5" />
        </svg>
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
