import { type LogEntry, own } from '@lab/model';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { withLabels } from '../format/labels';
import { Icon, type IconName } from '../icons/Icon';
import { useLog, useNodeLabels, useStartedAt } from '../store/selectors';
import { relativeTime } from './time';

const LEVEL: Record<LogEntry['level'], { icon: IconName; word: string }> = {
  info: { icon: 'info', word: 'info' },
  warn: { icon: 'warning', word: 'warning' },
  error: { icon: 'error', word: 'error' },
};
/** How close to the bottom counts as "at the bottom" (a fraction of a row, whatever the type size). */
const AT_BOTTOM_PX = 8;

/**
 * What happened, newest at the bottom, in the canvas's names. It follows new entries unless the reader has
 * scrolled up to read, and keeps following when its box changes size (presenter mode, a resized dock).
 */
export function EventLog() {
  const log = useLog();
  const startedAt = useStartedAt();
  const labels = useNodeLabels();
  const box = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  const toBottom = () => {
    const el = box.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: new entries are the trigger
  useLayoutEffect(toBottom, [log]);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // The box (a resized dock) and its content (presenter mode's larger type reflows every entry).
    const resized = new ResizeObserver(toBottom);
    resized.observe(el);
    if (el.firstElementChild) resized.observe(el.firstElementChild);
    return () => resized.disconnect();
  });

  if (!log.length) return <p className="dock-empty">Nothing has happened yet. Run the topology and break something.</p>;
  return (
    <div
      className="event-log"
      ref={box}
      role="log"
      aria-label="Event log"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        following.current = el.scrollHeight - el.scrollTop - el.clientHeight <= AT_BOTTOM_PX;
      }}
    >
      <ol className="log-entries">
        {log.map((entry) => (
          <li key={entry.seq} className={`log-entry level-${entry.level}`}>
            <time className="log-time" dateTime={new Date(entry.at).toISOString()}>
              {relativeTime(entry.at, startedAt)}
            </time>
            <span className="log-level">
              <Icon name={LEVEL[entry.level].icon} size={12} /> {LEVEL[entry.level].word}
            </span>
            <span className="log-kind">{entry.kind}</span>
            {entry.nodeId && <span className="log-node">{own(labels, entry.nodeId) ?? entry.nodeId}</span>}
            <span className="log-message">{withLabels(entry.message, labels)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
