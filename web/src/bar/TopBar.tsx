import { Icon } from '../icons/Icon';
import { useGuide, usePresenter, useTheme } from '../store/selectors';
import { EditControls } from './EditControls';
import { FileControls } from './FileControls';
import { RunControls } from './RunControls';
import { SaveStatus } from './SaveStatus';

/** The top bar. Presenter mode keeps only what a demo needs: run controls, presenter and theme. */
export function TopBar() {
  const { theme, toggleTheme } = useTheme();
  const { presenter, togglePresenter } = usePresenter();
  const guide = useGuide();
  return (
    <header className="topbar">
      <div className="brand">
        <svg className="brand-mark" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          {/* three partitions of a log: the lab's mark */}
          <rect x="3" y="4" width="18" height="4" rx="1.5" />
          <rect x="3" y="10" width="13" height="4" rx="1.5" />
          <rect x="3" y="16" width="16" height="4" rx="1.5" />
        </svg>
        <span className="brand-name">Kafka Microservices Lab</span>
      </div>
      <RunControls />
      {!presenter && (
        <>
          <EditControls />
          <FileControls />
        </>
      )}
      <SaveStatus />
      <div className="button-group">
        <button
          type="button"
          className="button"
          aria-pressed={guide.open}
          onClick={() => guide.setOpen(!guide.open)}
          title="Guided labs: experiments with your own measured numbers"
        >
          Labs
        </button>
        <button
          type="button"
          className="button"
          aria-pressed={presenter}
          onClick={togglePresenter}
          title="Large type, high contrast, no editing (Esc leaves)"
        >
          Presenter mode
        </button>
        <button type="button" className="button ghost" onClick={toggleTheme} aria-label="Toggle light and dark theme">
          {theme === 'dark' ? <Icon name="sun" /> : <Icon name="moon" />}
          {theme === 'dark' ? 'Light' : 'Dark'}
        </button>
      </div>
    </header>
  );
}
