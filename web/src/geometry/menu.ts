/** Where a pop-up menu goes, in window pixels. */
export interface MenuPlace {
  left: number;
  top: number;
}
interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
}

/** Space kept between the menu and the window's edge. */
const MARGIN = 8;

/**
 * A menu opened from `trigger`: below it when it fits, else above, else wherever the window has most room,
 * and always moved inside the window, so every item can be seen and clicked whatever the card's place,
 * the zoom or the window's size. The menu lives in the page's top layer, so nothing (minimap, dock) covers it.
 */
export function placeMenu(trigger: Box, menu: Box, window: { width: number; height: number }): MenuPlace {
  const below = trigger.bottom + 4;
  const above = trigger.top - 4 - menu.height;
  const fitsBelow = below + menu.height <= window.height - MARGIN;
  const fitsAbove = above >= MARGIN;
  const top = fitsBelow ? below : fitsAbove ? above : window.height - trigger.bottom > trigger.top ? below : above;
  return {
    left: clamp(trigger.left, MARGIN, window.width - MARGIN - menu.width),
    top: clamp(top, MARGIN, window.height - MARGIN - menu.height),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, Math.max(min, max)));
}
