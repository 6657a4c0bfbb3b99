import { workspaceBase } from '../api/base';
import { Icon } from '../icons/Icon';
import { RecordingsMenu } from '../replay/RecordingsMenu';
import { useGuide, usePresenter, useReadOnly, useTheme } from '../store/selectors';
import { EditControls } from './EditControls';
import { FileControls } from './FileControls';
import { RunControls } from './RunControls';
import { SaveStatus } from './SaveStatus';

/** The top bar. Presenter mode keeps only what a demo needs: run controls, presenter and theme. */
export function TopBar() {
  const { theme, toggleTheme } = useTheme();
  const { presenter, togglePresenter } = usePresenter();
  const guide = useGuide();
  // A replay shows a recorded run: nothing to run, edit, save or load.
  const readOnly = useReadOnly();
  const workspace = workspaceBase().slice('/w/'.length);
  return (
    <header className="topbar">
      <div className="brand">
        <svg className="brand-mark" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
          {/* the lab's mark: one event fanning out to two consumers, a topology in a tile (not a menu icon) */}
          <rect x="0.5" y="0.5" width="23" height="23" rx="6" className="brand-tile" />
          <path d="M7 12L17 6.5M7 12l10 5.5" className="brand-links" />
          <circle cx="7" cy="12" r="3" className="brand-node" />
          <circle cx="17" cy="6.5" r="2.6" className="brand-node" />
          <circle cx="17" cy="17.5" r="2.6" className="brand-node" />
        </svg>
        <span className="brand-name">Kafka Microservices Lab</span>
        {workspace && (
          <span
            className="workspace-name"
            title={`Workspace ${workspace}: your own on this shared server, its topics are yours alone`}
          >
            {workspace}
          </span>
        )}
      </div>
      {!readOnly && <RunControls />}
      {!presenter && !readOnly && (
        <>
          <EditControls />
          <FileControls />
        </>
      )}
      {!readOnly && <SaveStatus />}
      <div className="button-group">
        {!presenter && !readOnly && <RecordingsMenu />}
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
          <span className="theme-word">{theme === 'dark' ? 'Light' : 'Dark'}</span>
        </button>
      </div>
    </header>
  );
}
