import { EdgeLabelRenderer, useStore } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { dotKeyframes, keyframesName, MAX_TOTAL_DOTS } from './dots';

/**
 * Dots travelling along `path` (the edge's own geometry): HTML dots in the edge label layer (above the links,
 * under the nodes) running CSS keyframes sampled from the path, so the compositor moves them, not a script.
 * The canvas keeps at most MAX_TOTAL_DOTS: past that each busy link keeps fewer (one at least).
 */
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
  const links = useStore((s) => s.edges.length);
  const name = keyframesName(path);
  const keyframes = useMemo(() => dotKeyframes(name, path), [name, path]);
  const shown = Math.min(count, Math.max(1, Math.floor(MAX_TOTAL_DOTS / Math.max(1, links))));
  if (count === 0 || !keyframes) return null;
  return (
    <EdgeLabelRenderer>
      <div className={`dot-track ${className}`} aria-hidden="true">
        <style>{keyframes}</style>
        {Array.from({ length: shown }, (_, i) => (
          <span
            // biome-ignore lint/suspicious/noArrayIndexKey: dots are interchangeable
            key={i}
            className="moving-dot"
            style={{
              animationName: name,
              animationDuration: `${periodMs}ms`,
              animationDelay: `${-Math.round((i / shown) * periodMs)}ms`,
            }}
          />
        ))}
      </div>
    </EdgeLabelRenderer>
  );
});
