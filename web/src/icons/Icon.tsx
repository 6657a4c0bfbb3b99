import type { ReactNode } from 'react';

/**
 * The app's own icons, drawn as SVG: symbol glyphs (ℹ ⚠ ✖ ⏳ ☀ …) render as empty boxes on machines
 * without an emoji or symbol font, which workshop machines often are. Decorative: the word beside the icon
 * carries the meaning, so every icon is hidden from assistive technology.
 */
export type IconName =
  | 'info'
  | 'warning'
  | 'error'
  | 'close'
  | 'check'
  | 'chevron-down'
  | 'chevron-up'
  | 'sun'
  | 'moon'
  | 'play'
  | 'pause'
  | 'stop'
  | 'restart'
  | 'undo'
  | 'redo'
  | 'waiting';

const round = {
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 2,
  strokeLinecap: 'round',
  strokeLinejoin: 'round',
} as const;

const PATHS: Record<IconName, ReactNode> = {
  info: (
    <>
      <circle cx="8" cy="8" r="6.5" {...round} strokeWidth={1.6} />
      <path d="M8 7.2v4M8 4.6v.2" {...round} />
    </>
  ),
  warning: (
    <>
      <path d="M8 1.8L15 14H1z" {...round} strokeWidth={1.6} />
      <path d="M8 6.2v3.4M8 11.6v.2" {...round} />
    </>
  ),
  error: <path d="M3.5 3.5l9 9M12.5 3.5l-9 9" {...round} strokeWidth={2.4} />,
  close: <path d="M4 4l8 8M12 4l-8 8" {...round} />,
  check: <path d="M2.5 8.5l3.5 3.5 7.5-8" {...round} strokeWidth={2.2} />,
  'chevron-down': <path d="M3.5 6l4.5 4.5L12.5 6" {...round} />,
  'chevron-up': <path d="M3.5 10l4.5-4.5 4.5 4.5" {...round} />,
  sun: (
    <>
      <circle cx="8" cy="8" r="3" {...round} strokeWidth={1.6} />
      <path d="M8 1v1.5M8 13.5V15M1 8h1.5M13.5 8H15M3 3l1 1M12 12l1 1M3 13l1-1M12 4l1-1" {...round} strokeWidth={1.6} />
    </>
  ),
  moon: <path d="M13.5 10A6 6 0 0 1 6 2.5a6 6 0 1 0 7.5 7.5z" {...round} strokeWidth={1.6} />,
  play: <path d="M4 2.5l9.5 5.5L4 13.5z" fill="currentColor" />,
  pause: (
    <g fill="currentColor">
      <rect x="3.5" y="2.5" width="3" height="11" rx="1" />
      <rect x="9.5" y="2.5" width="3" height="11" rx="1" />
    </g>
  ),
  stop: <rect x="3" y="3" width="10" height="10" rx="1.5" fill="currentColor" />,
  restart: (
    <>
      <path d="M3 8a5 5 0 1 0 1.5-3.6" {...round} />
      <path d="M4 1.8v3h3" {...round} />
    </>
  ),
  undo: <path d="M5.5 3.5l-3 3 3 3M2.5 6.5H10a3.5 3.5 0 0 1 0 7H6" {...round} />,
  redo: <path d="M10.5 3.5l3 3-3 3M13.5 6.5H6a3.5 3.5 0 0 0 0 7h4" {...round} />,
  waiting: (
    <>
      <path d="M4 1.5h8M4 14.5h8" {...round} strokeWidth={1.6} />
      <path d="M5 1.5c0 4 6 4 6 6.5s-6 2.5-6 6.5M11 1.5c0 4-6 4-6 6.5s6 2.5 6 6.5" {...round} strokeWidth={1.4} />
    </>
  ),
};

export function Icon({ name, size = 14, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg
      className={`icon${className ? ` ${className}` : ''}`}
      viewBox="0 0 16 16"
      width={size}
      height={size}
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[name]}
    </svg>
  );
}
