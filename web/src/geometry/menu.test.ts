import { describe, expect, it } from 'vitest';
import { placeMenu } from './menu';

const box = (left: number, top: number, width: number, height: number) => ({
  left,
  top,
  width,
  height,
  right: left + width,
  bottom: top + height,
});
const WINDOW = { width: 1280, height: 720 };

describe('placeMenu', () => {
  it('opens below the button when it fits', () => {
    expect(placeMenu(box(100, 100, 60, 24), box(0, 0, 190, 280), WINDOW)).toEqual({ left: 100, top: 128 });
  });

  it('opens above a button near the bottom of the window (over the dock)', () => {
    expect(placeMenu(box(100, 600, 60, 24), box(0, 0, 190, 280), WINDOW)).toEqual({ left: 100, top: 316 });
  });

  it('stays inside the window at its right edge and when neither side has room', () => {
    const place = placeMenu(box(1250, 300, 60, 24), box(0, 0, 190, 600), WINDOW);
    expect(place.left + 190).toBeLessThanOrEqual(1280 - 8);
    expect(place.top).toBeGreaterThanOrEqual(8);
    expect(place.top + 600).toBeLessThanOrEqual(720 - 8);
  });
});
