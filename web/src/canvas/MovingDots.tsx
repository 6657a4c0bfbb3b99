import { EdgeLabelRenderer, useStore } from '@xyflow/react';
import { memo, useEffect, useRef } from 'react';
import { dotAllowance, dotKeyframes } from '../geometry/dots';

const still = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

/**
 * Dots travelling along `path` (the edge's own geometry): HTML dots in the edge label layer (above the links,
 * under the nodes) running keyframes sampled from the path through the Web Animations API, so the compositor
 * moves them, not a script (and, unlike CSS animations, they fire no animation events into React's root).
 * The canvas keeps about MAX_TOTAL_DOTS at most (see dotAllowance).
 */
export const MovingDots = memo(function MovingDots({
  id,
  path,
  count,
  periodMs,
  className,
}: {
  /** The link's id: picks, stably, which links keep a dot when there are more links than dots. */
  id: string;
  path: string;
  count: number;
  periodMs: number;
  className: string;
}) {
  const links = useStore((s) => s.edges.length);
  const shown = Math.min(count, dotAllowance(id, links));
  const track = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new number of dots means new dot elements to animate
  useEffect(() => {
    const keyframes = dotKeyframes(path);
    const dots = [...(track.current?.children ?? [])] as HTMLElement[];
    if (!keyframes || !dots.length || typeof dots[0]!.animate !== 'function') return;
    const animations = dots.map((dot, i) => {
      const animation = dot.animate(keyframes, { duration: periodMs, iterations: Number.POSITIVE_INFINITY });
      animation.currentTime = (i / dots.length) * periodMs;
      if (still) animation.pause();
      return animation;
    });
    return () => {
      for (const animation of animations) animation.cancel();
    };
  }, [path, shown, periodMs]);
  if (shown === 0) return null;
  return (
    <EdgeLabelRenderer>
      <div className={`dot-track ${className}`} aria-hidden="true" ref={track}>
        {Array.from({ length: shown }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: dots are interchangeable
          <span key={i} className="moving-dot" />
        ))}
      </div>
    </EdgeLabelRenderer>
  );
});
