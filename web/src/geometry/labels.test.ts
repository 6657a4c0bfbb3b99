import { describe, expect, it } from 'vitest';
import { intersects, placeLabels, type Rect } from './labels';

/** A straight link written as getBezierPath writes a cubic. */
const line = (x0: number, y0: number, x1: number, y1: number) =>
  `M${x0},${y0} C${x0 + (x1 - x0) / 3},${y0 + (y1 - y0) / 3} ${x0 + (2 * (x1 - x0)) / 3},${y0 + (2 * (y1 - y0)) / 3} ${x1},${y1}`;
const boxOf = (at: { x: number; y: number }, w: number, h: number): Rect => ({
  x: at.x - w / 2,
  y: at.y - h / 2,
  width: w,
  height: h,
});

describe('placeLabels', () => {
  it('puts a lone label in the middle of its link', () => {
    const places = placeLabels([], [{ id: 'a', path: line(0, 0, 400, 0), width: 80, height: 30 }]);
    expect(places.get('a')!.x).toBeCloseTo(200, 0);
    expect(places.get('a')!.y).toBeCloseTo(0, 0);
  });

  it('moves a label off a node that sits on the middle of its link', () => {
    const node = { x: 170, y: -40, width: 60, height: 80 };
    const places = placeLabels([node], [{ id: 'a', path: line(0, 0, 400, 0), width: 80, height: 30 }]);
    expect(intersects(boxOf(places.get('a')!, 80, 30), node)).toBe(false);
  });

  it('keeps four lag badges of one topic apart, each on its own link', () => {
    // One topic fanning out to four services close below each other: their middles bunch together.
    const labels = [0, 1, 2, 3].map((i) => ({
      id: `c${i}`,
      path: line(0, 100, 300, 40 + i * 40),
      width: 84,
      height: 34,
    }));
    const places = placeLabels([], labels);
    const boxes = labels.map((l) => boxOf(places.get(l.id)!, l.width, l.height));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) expect(intersects(boxes[i]!, boxes[j]!)).toBe(false);
    }
  });

  it('moves a label beside a link too short to hold it, clear of the two cards it joins', () => {
    // Two tall cards 80 px apart, joined at their middles: a 150 px label fits nowhere on the link itself.
    const nodes = [
      { x: 0, y: 0, width: 180, height: 140 },
      { x: 260, y: 0, width: 180, height: 140 },
    ];
    const places = placeLabels(nodes, [{ id: 'a', path: line(186, 70, 254, 70), width: 150, height: 42 }]);
    const box = boxOf(places.get('a')!, 150, 42);
    expect(nodes.filter((n) => intersects(box, n))).toEqual([]);
  });

  it('skips a path it cannot read', () => {
    expect(placeLabels([], [{ id: 'x', path: 'M0,0 L10,10', width: 10, height: 10 }]).size).toBe(0);
  });
});
