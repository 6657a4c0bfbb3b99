import type { Status } from '@lab/model';

/** The word for each status: shown beside its colour and icon, never colour alone (DESIGN, Visual language). */
export const STATUS_WORD: Record<Status, string> = {
  running: 'running',
  slow: 'slow',
  hung: 'hung',
  failing: 'failing',
  down: 'down',
  rebalancing: 'rebalancing',
  idle: 'idle',
};

/**
 * One icon per status, drawn as SVG rather than a font glyph: workshop machines are offline and may lack
 * the symbol fonts, and the shapes must read on a projector.
 */
export function StatusIcon({ status, size = 14 }: { status: Status; size?: number }) {
  return (
    <svg className={`status-icon tone-${status}`} viewBox="0 0 16 16" width={size} height={size} aria-hidden="true">
      {ICONS[status]}
    </svg>
  );
}

const ICONS: Record<Status, React.ReactNode> = {
  // a filled dot: alive and well
  running: <circle cx="8" cy="8" r="6" fill="currentColor" />,
  // a clock: it answers, late
  slow: (
    <g fill="none" stroke="currentColor" strokeWidth="2">
      <circle cx="8" cy="8" r="6" />
      <path d="M8 4.5V8l2.5 1.5" strokeLinecap="round" />
    </g>
  ),
  // pause bars: it holds work and answers nothing
  hung: (
    <g fill="currentColor">
      <rect x="3.5" y="2.5" width="3" height="11" rx="1" />
      <rect x="9.5" y="2.5" width="3" height="11" rx="1" />
    </g>
  ),
  // a triangle with a bar: alive, but its work fails
  failing: (
    <g>
      <path d="M8 1.8L15 14H1z" fill="currentColor" />
      <path d="M8 6v3.6M8 11.6v.4" stroke="var(--node-bg, #fff)" strokeWidth="1.8" strokeLinecap="round" />
    </g>
  ),
  // a cross: gone
  down: <path d="M3.5 3.5l9 9M12.5 3.5l-9 9" stroke="currentColor" strokeWidth="2.6" strokeLinecap="round" />,
  // a circling arrow: partitions moving between instances
  rebalancing: (
    <g fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
      <path d="M13 8a5 5 0 1 1-1.5-3.6" />
      <path d="M12 1.8v3h-3" />
    </g>
  ),
  // a hollow ring: not started
  idle: <circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" strokeWidth="2" />,
};

export function StatusBadge({ status }: { status: Status }) {
  return (
    <span className={`status-badge tone-${status}`}>
      <StatusIcon status={status} />
      {STATUS_WORD[status]}
    </span>
  );
}
