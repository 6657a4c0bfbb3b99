/**
 * The moving dots on links (DESIGN: animate sampled dots, not dash arrays). The number of dots follows the
 * rate on a log scale, capped, so 2 ev/s and 2000 ev/s both read at a glance without drawing thousands.
 *
 * Each path is sampled once, when it is drawn, into points evenly spaced along its length, written as CSS
 * keyframes of `transform`; the dots are small HTML elements running that animation (Element.animate),
 * which the compositor plays without the main thread. Moving SVG circles from a requestAnimationFrame loop cost a layout and a
 * repaint of every link per frame (and getPointAtLength on each dot took ~80% of the main thread).
 */
export const MAX_DOTS = 8;
/** Dots moving on the whole canvas, about, at most: past this, busy links keep fewer dots. */
export const MAX_TOTAL_DOTS = 200;
/** Points per path: enough that a dot's straight runs between them do not show. */
const SAMPLES = 32;

export function dotsForRate(perSecond: number): number {
  if (!(perSecond > 0)) return 0;
  return Math.min(MAX_DOTS, Math.max(1, Math.ceil(Math.log2(perSecond + 1))));
}

/**
 * How many dots one of `links` links may draw so the canvas stays near MAX_TOTAL_DOTS: an equal share, and
 * when the share is under one, a dot on a stable pick (by id) of that share of the links. Every composited
 * dot costs the compositor a redraw each frame, which software rendering pays in full.
 */
export function dotAllowance(id: string, links: number): number {
  const share = MAX_TOTAL_DOTS / Math.max(1, links);
  if (share >= 1) return Math.floor(share);
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return ((hash ^ (hash >>> 16)) >>> 0) / 2 ** 32 < share ? 1 : 0;
}

/**
 * Keyframes that carry a dot once along the path: translate() through points evenly spaced along it, for
 * Element.animate. Undefined for a path that is not a Bézier as getBezierPath writes it.
 */
export function dotKeyframes(d: string): Keyframe[] | undefined {
  const points = samplePath(d);
  if (!points) return undefined;
  return Array.from({ length: SAMPLES + 1 }, (_, k) => ({
    transform: `translate(${points[2 * k]!.toFixed(1)}px,${points[2 * k + 1]!.toFixed(1)}px)`,
  }));
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
