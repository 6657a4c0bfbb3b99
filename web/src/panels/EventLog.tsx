import { type LogEntry, own } from '@lab/model';
import { useLayoutEffect, useRef } from 'react';
import { useLog, useNodeLabels, useStartedAt } from '../store/selectors';
import { relativeTime } from './time';

const LEVEL: Record<LogEntry['level'], { icon: string; word: string }> = {
  info: { icon: 'ℹ', word: 'info' },
  warn: { icon: '⚠', word: 'warning' },
  error: { icon: '✖', word: 'error' },
};

/** What happened, newest at the bottom. It follows new entries unless the reader has scrolled up. */
export function EventLog() {
  const log = useLog();
  const startedAt = useStartedAt();
  const labels = useNodeLabels();
  const list = useRef<HTMLOListElement>(null);
  const following = useRef(true);

  useLayoutEffect(() => {
    const el = list.current;
    if (el && following.current && log.length) el.scrollTop = el.scrollHeight;
  }, [log]);

  if (!log.length) return <p className="dock-empty">Nothing has happened yet. Run the topology and break something.</p>;
  return (
    <ol
      className="event-log"
      ref={list}
      role="log"
      aria-label="Event log"
      onScroll={(e) => {
        const el = e.currentTarget;
        following.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
    >
      {log.map((entry) => (
        <li key={entry.seq} className={`log-entry level-${entry.level}`}>
          <time className="log-time" dateTime={new Date(entry.at).toISOString()}>
            {relativeTime(entry.at, startedAt)}
          </time>
          <span className="log-level">
            <span aria-hidden="true">{LEVEL[entry.level].icon}</span> {LEVEL[entry.level].word}
          </span>
          <span className="log-kind">{entry.kind}</span>
          {entry.nodeId && <span className="log-node">{own(labels, entry.nodeId) ?? entry.nodeId}</span>}
          <span className="log-message">{entry.message}</span>
        </li>
      ))}
    </ol>
  );
}
