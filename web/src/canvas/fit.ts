import type { FitViewOptions } from '@xyflow/react';

/** The minimap's size on the canvas (React Flow keeps its panels 15 px from the edge). */
export const MINIMAP = { width: 150, height: 100 };
const PANEL_MARGIN = 15;

/**
 * How "fit in view" frames the topology: the minimap (bottom right) and the zoom controls (bottom left)
 * are kept clear of nodes by padding the sides they sit on, so after a fit no node or button lies under
 * them. Presenter mode shows neither, so it fits edge to edge.
 */
export function fitOptions(presenter: boolean): FitViewOptions {
  if (presenter) return { maxZoom: 1.4, padding: 0.05 };
  return {
    maxZoom: 1.4,
    padding: { top: '16px', bottom: '16px', left: '56px', right: `${MINIMAP.width + PANEL_MARGIN + 12}px` },
  };
}
