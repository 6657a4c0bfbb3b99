import { samplePath } from './dots';

/** A box in flow coordinates. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
/** A label that wants a place on its link's path ("M x,y C …" as getBezierPath writes it). */
export interface WantedLabel {
  id: string;
  path: string;
  width: number;
  height: number;
}
/** The label's centre, and the point of its link it belongs to (the same when it sits on the link). */
export type LabelPlace = { x: number; y: number; anchor: { x: number; y: number } };

/** Where along the path a label may sit, best first: the middle, then outwards, never on a handle. */
const ALONG = [0.5, 0.6, 0.4, 0.7, 0.3, 0.75, 0.25, 0.8, 0.2, 0.85, 0.15];
/**
 * How far beside the path it may move when no point on the path is free (a short link between two tall
 * cards): steps above and below, nearest first, up to the height of a tall card.
 */
const ASIDE_STEP = 12;
const ASIDE_MAX = 240;
/** Air kept around nodes and other labels. */
const GAP = 4;

/**
 * Places every label on its own link where it covers no node and no other label: the middle of the link
 * when that is free, else the free point nearest the middle; if the link has no free point at all, the
 * point that overlaps least. Greedy, in the order given, so a label keeps its place while others come and go
 * as long as the order is stable. Pure: the canvas calls it when the geometry changes, not every frame.
 */
export function placeLabels(nodes: readonly Rect[], labels: readonly WantedLabel[]): Map<string, LabelPlace> {
  const placed: Rect[] = [];
  const places = new Map<string, LabelPlace>();
  for (const label of labels) {
    const points = samplePath(label.path);
    if (!points) continue;
    const samples = points.length / 2 - 1;
    let best: { place: LabelPlace; box: Rect; overlap: number } | undefined;
    search: for (const aside of ASIDE) {
      for (const t of ALONG) {
        const k = Math.round(t * samples);
        const anchor = { x: points[2 * k]!, y: points[2 * k + 1]! };
        const place = { x: anchor.x, y: anchor.y + aside, anchor };
        const box = centred(place, label);
        const overlap = overlapArea(box, nodes) + overlapArea(box, placed);
        if (!best || overlap < best.overlap) best = { place, box, overlap };
        if (overlap === 0) break search;
      }
    }
    if (!best) continue;
    places.set(label.id, best.place);
    placed.push(best.box);
  }
  return places;
}

/** 0, then -12, +12, -24, +24 … up to ASIDE_MAX: on the path first, then ever further beside it. */
const ASIDE = [0];
for (let d = ASIDE_STEP; d <= ASIDE_MAX; d += ASIDE_STEP) ASIDE.push(-d, d);

function centred(at: { x: number; y: number }, size: { width: number; height: number }): Rect {
  return { x: at.x - size.width / 2, y: at.y - size.height / 2, width: size.width, height: size.height };
}

function overlapArea(box: Rect, others: readonly Rect[]): number {
  let area = 0;
  for (const o of others) {
    const w = Math.min(box.x + box.width, o.x + o.width + GAP) - Math.max(box.x, o.x - GAP);
    const h = Math.min(box.y + box.height, o.y + o.height + GAP) - Math.max(box.y, o.y - GAP);
    if (w > 0 && h > 0) area += w * h;
  }
  return area;
}

/** Whether two boxes share any area (touching edges do not count). */
export function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
