/**
 * The moving dots on links: one requestAnimationFrame loop for the whole canvas moves every dot along its
 * path (DESIGN: animate sampled dots, not dash arrays). The number of dots follows the rate on a log scale,
 * capped, so 2 ev/s and 2000 ev/s both read at a glance without drawing thousands of dots.
 */
export const MAX_DOTS = 8;

export function dotsForRate(perSecond: number): number {
  if (!(perSecond > 0)) return 0;
  return Math.min(MAX_DOTS, Math.max(1, Math.ceil(Math.log2(perSecond + 1))));
}

interface Track {
  path: SVGPathElement;
  dots: SVGCircleElement[];
  /** Time one dot takes end to end. */
  periodMs: number;
}

const tracks = new Set<Track>();
let frame: number | undefined;
const still = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

/** Moves these dots along the path until the returned function is called. */
export function trackDots(path: SVGPathElement, dots: SVGCircleElement[], periodMs: number): () => void {
  const track = { path, dots, periodMs };
  tracks.add(track);
  place(track, 0);
  if (!still && frame === undefined) frame = requestAnimationFrame(tick);
  return () => {
    tracks.delete(track);
  };
}

function tick(now: number) {
  for (const track of tracks) place(track, now);
  frame = tracks.size ? requestAnimationFrame(tick) : undefined;
}

function place({ path, dots, periodMs }: Track, now: number) {
  const length = path.getTotalLength();
  dots.forEach((dot, i) => {
    const along = (now / periodMs + i / dots.length) % 1;
    const at = path.getPointAtLength(along * length);
    dot.setAttribute('cx', at.x.toFixed(1));
    dot.setAttribute('cy', at.y.toFixed(1));
  });
}
