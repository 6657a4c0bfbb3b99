import { type KeyboardEvent, useState } from 'react';
import { Icon } from '../icons/Icon';
import { useDock } from '../store/selectors';
import type { DockTab } from '../store/ui';
import { Charts } from './Charts';
import { EventLog } from './EventLog';
import { MessageBrowser } from './MessageBrowser';

const TABS: { tab: DockTab; name: string }[] = [
  { tab: 'log', name: 'Event log' },
  { tab: 'messages', name: 'Messages' },
  { tab: 'charts', name: 'Charts' },
];

/** The bottom dock: what happened (log), what is in the topics (messages), how the numbers moved (charts). */
export function Dock() {
  const { tab, setTab } = useDock();
  const [open, setOpen] = useState(true);
  // Arrow keys move between tabs (the WAI-ARIA tabs pattern).
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const at = TABS.findIndex((t) => t.tab === tab);
    const next = TABS[(at + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!;
    setTab(next.tab);
    document.getElementById(`dock-tab-${next.tab}`)?.focus();
  };
  return (
    <section className={`dock${open ? '' : ' closed'}`} aria-label="Dock">
      <div className="dock-tabs" role="tablist" aria-label="Dock tabs" onKeyDown={onKey}>
        {TABS.map((t) => (
          <button
            key={t.tab}
            id={`dock-tab-${t.tab}`}
            type="button"
            role="tab"
            aria-selected={tab === t.tab}
            aria-controls="dock-panel"
            tabIndex={tab === t.tab ? 0 : -1}
            className="dock-tab"
            onClick={() => {
              setTab(t.tab);
              setOpen(true);
            }}
          >
            {t.name}
          </button>
        ))}
        <span className="spacer" />
        <button
          type="button"
          className="button ghost small"
          aria-expanded={open}
          aria-label={open ? 'Hide the dock' : 'Show the dock'}
          onClick={() => setOpen(!open)}
        >
          <Icon name={open ? 'chevron-down' : 'chevron-up'} />
        </button>
      </div>
      {open && (
        <div id="dock-panel" className="dock-panel" role="tabpanel" aria-labelledby={`dock-tab-${tab}`}>
          {tab === 'log' && <EventLog />}
          {tab === 'messages' && <MessageBrowser />}
          {tab === 'charts' && <Charts />}
        </div>
      )}
    </section>
  );
}
