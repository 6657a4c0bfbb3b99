/**
 * The moving dots on links: one requestAnimationFrame loop for the whole canvas moves every dot along its
 * path (DESIGN: animate sampled dots, not dash arrays). The number of dots follows the rate on a log scale,
 * capped, so 2 ev/s and 2000 ev/s both read at a glance without drawing thousands of dots.
 *
 * Each path is sampled once, when it is drawn, into a table of points evenly spaced along its length; the
 * loop then only interpolates in that table. Asking the browser (getPointAtLength) on every dot every frame
 * cost ~80% of the main thread with 150 links, and each call after a dot moved forced a fresh layout.
 */
export const MAX_DOTS = 8;
/** Dots moving on the whole canvas at most: past this, busy links keep fewer dots (at least one each). */
export const MAX_TOTAL_DOTS = 200;
/** Points per path in the lookup table: enough that a dot's straight hops between them do not show. */
const SAMPLES = 48;

export function dotsForRate(perSecond: number): number {
  if (!(perSecond > 0)) return 0;
  return Math.min(MAX_DOTS, Math.max(1, Math.ceil(Math.log2(perSecond + 1))));
}

interface Track {
  /** x0, y0, x1, y1, …: SAMPLES + 1 points evenly spaced along the path. */
  points: Float32Array;
  dots: SVGCircleElement[];
  /** Time one dot takes end to end. */
  periodMs: number;
  /** How many of `dots` move (the rest are hidden while the canvas is over its dot budget). */
  shown: number;
}

const tracks = new Set<Track>();
let frame: number | undefined;
let budgetDirty = true;
const still = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

/** Moves these dots along the path until the returned function is called. */
export function trackDots(
  path: SVGPathElement,
  dots: SVGCircleElement[],
  periodMs: number,
  d = path.getAttribute('d') ?? '',
): () => void {
  const track: Track = { points: samplePath(d) ?? sampleElement(path), dots, periodMs, shown: dots.length };
  tracks.add(track);
  budgetDirty = true;
  if (still) {
    share();
    place(track, 0);
  } else if (frame === undefined) frame = requestAnimationFrame(tick);
  return () => {
    tracks.delete(track);
    budgetDirty = true;
  };
}

function tick(now: number) {
  if (budgetDirty) share();
  for (const track of tracks) place(track, now);
  frame = tracks.size ? requestAnimationFrame(tick) : undefined;
}

/** Splits the canvas's dot budget over the links: each keeps its own count while the total fits. */
function share() {
  budgetDirty = false;
  let wanted = 0;
  for (const track of tracks) wanted += track.dots.length;
  const scale = wanted > MAX_TOTAL_DOTS ? MAX_TOTAL_DOTS / wanted : 1;
  for (const track of tracks) {
    const shown = Math.max(1, Math.floor(track.dots.length * scale));
    if (shown === track.shown) continue;
    track.shown = shown;
    track.dots.forEach((dot, i) => {
      dot.style.display = i < shown ? '' : 'none';
    });
  }
}

function place({ points, dots, periodMs, shown }: Track, now: number) {
  for (let i = 0; i < shown; i++) {
    const along = ((now / periodMs + i / shown) % 1) * SAMPLES;
    const at = Math.floor(along);
    const f = along - at;
    const x = points[2 * at]! + (points[2 * at + 2]! - points[2 * at]!) * f;
    const y = points[2 * at + 1]! + (points[2 * at + 3]! - points[2 * at + 1]!) * f;
    const dot = dots[i]!;
    dot.setAttribute('cx', x.toFixed(1));
    dot.setAttribute('cy', y.toFixed(1));
  }
}

/**
 * Samples a cubic Bézier path as React Flow's getBezierPath writes it ("M x,y C x,y x,y x,y") without asking
 * the browser: fine steps in t, then points evenly spaced by arc length. Undefined for any other shape.
 */
export function samplePath(d: string): Float32Array | undefined {
  if (!/^\s*M[^C]*C[^MCLQSTAHVZz]*$/.test(d)) return undefined;
  const n = d.match(/-?\d*\.?\d+(?:e[-+]?\d+)?/gi)?.map(Number);
  if (n?.length !== 8 || n.some((v) => !Number.isFinite(v))) return undefined;
  const [x0, y0, x1, y1, x2, y2, x3, y3] = n as [number, number, number, number, number, number, number, number];
  const STEPS = SAMPLES * 4;
  const xs = new Float64Array(STEPS + 1);
  const ys = new Float64Array(STEPS + 1);
  const lengths = new Float64Array(STEPS + 1);
  for (let s = 0; s <= STEPS; s++) {
    const t = s / STEPS;
    const u = 1 - t;
    xs[s] = u * u * u * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t * t * t * x3;
    ys[s] = u * u * u * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y3;
    if (s > 0) lengths[s] = lengths[s - 1]! + Math.hypot(xs[s]! - xs[s - 1]!, ys[s]! - ys[s - 1]!);
  }
  const total = lengths[STEPS]!;
  const points = new Float32Array(2 * (SAMPLES + 1));
  let s = 0;
  for (let k = 0; k <= SAMPLES; k++) {
    const target = (k / SAMPLES) * total;
    while (s < STEPS && lengths[s + 1]! < target) s++;
    const span = s < STEPS ? lengths[s + 1]! - lengths[s]! : 0;
    const f = span > 0 ? (target - lengths[s]!) / span : 0;
    const next = Math.min(s + 1, STEPS);
    points[2 * k] = xs[s]! + (xs[next]! - xs[s]!) * f;
    points[2 * k + 1] = ys[s]! + (ys[next]! - ys[s]!) * f;
  }
  return points;
}

/** Any other path: the browser measures it, once. */
function sampleElement(path: SVGPathElement): Float32Array {
  const points = new Float32Array(2 * (SAMPLES + 1));
  const length = path.getTotalLength?.() ?? 0;
  for (let k = 0; k <= SAMPLES; k++) {
    const at = length ? path.getPointAtLength((k / SAMPLES) * length) : { x: 0, y: 0 };
    points[2 * k] = at.x;
    points[2 * k + 1] = at.y;
  }
  return points;
}
