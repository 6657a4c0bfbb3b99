import { type KeyboardEvent, type PointerEvent, useState } from 'react';
import { Icon } from '../icons/Icon';
import { useDock } from '../store/selectors';
import { DOCK_HEIGHT, type DockTab } from '../store/ui';
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
  const { tab, setTab, height, setHeight } = useDock();
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
    <section
      className={`dock${open ? '' : ' closed'}`}
      aria-label="Dock"
      style={{ gridTemplateRows: open ? `auto auto ${height}px` : undefined }}
    >
      {open && <DockResizer height={height} setHeight={setHeight} />}
      <div className="dock-bar">
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
        </div>
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

const STEP_PX = 24;

/**
 * The line above the dock: drag it (or focus it and press the arrow keys) to give the dock more or less of
 * the window. A WAI-ARIA window splitter.
 */
function DockResizer({ height, setHeight }: { height: number; setHeight: (px: number) => void }) {
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const startY = e.clientY;
    const startHeight = height;
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    const move = (m: globalThis.PointerEvent) => setHeight(startHeight + (startY - m.clientY));
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable splitter has no HTML element of its own
    <div
      className="dock-resizer"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize the dock"
      aria-valuenow={height}
      aria-valuemin={DOCK_HEIGHT.min}
      aria-valuemax={Math.round(window.innerHeight * DOCK_HEIGHT.maxShare)}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={(e) => {
        if (e.key === 'ArrowUp') setHeight(height + STEP_PX);
        else if (e.key === 'ArrowDown') setHeight(height - STEP_PX);
        else return;
        e.preventDefault();
      }}
    />
  );
}
