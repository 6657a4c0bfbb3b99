/**
 * Level of detail: below DETAIL_ZOOM a card's 12–13 px numbers shrink under ~8 px on screen, which nobody
 * can read (least of all on a projector), so the canvas draws compact cards instead: kind, name in large
 * type, status icon and colour; links keep their colours (failing, timing out) but lose dots and labels.
 * Zooming in brings everything back. Compact cards also do far less work per frame: their numbers are not
 * read from the store at all, so a frame that changes only numbers re-renders nothing.
 */
export const DETAIL_ZOOM = 0.6;

export type Detail = 'full' | 'compact';

export const detailAt = (zoom: number): Detail => (zoom >= DETAIL_ZOOM ? 'full' : 'compact');
