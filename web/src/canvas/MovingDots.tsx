import { memo, useEffect, useRef } from 'react';
import { trackDots } from './dots';

/** Dots travelling along `path` (the edge's own geometry), moved by the canvas's one animation loop. */
export const MovingDots = memo(function MovingDots({
  path,
  count,
  periodMs,
  className,
}: {
  path: string;
  count: number;
  periodMs: number;
  className: string;
}) {
  const route = useRef<SVGPathElement>(null);
  const group = useRef<SVGGElement>(null);
  useEffect(() => {
    if (!route.current || !group.current || count === 0) return;
    return trackDots(route.current, [...group.current.querySelectorAll('circle')], periodMs, path);
  }, [path, count, periodMs]);
  if (count === 0) return null;
  return (
    <g className={className}>
      <path ref={route} d={path} fill="none" stroke="none" />
      <g ref={group}>
        {Array.from({ length: count }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: dots are interchangeable
          <circle key={i} r={4} />
        ))}
      </g>
    </g>
  );
});
