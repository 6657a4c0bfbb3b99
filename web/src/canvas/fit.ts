import type { FitViewOptions, ReactFlowState } from '@xyflow/react';

/** The minimap's size on the canvas. */
export const MINIMAP = { width: 150, height: 100 };

/**
 * How "fit in view" frames the topology: the zoom controls (bottom left) are kept clear of nodes by padding
 * that side. The minimap needs no room: it only shows while part of the topology is out of view (see
 * someNodeOutOfView), which after a fit none is. Presenter mode shows neither, so it fits edge to edge.
 */
export function fitOptions(presenter: boolean): FitViewOptions {
  if (presenter) return { maxZoom: 1.4, padding: 0.05 };
  return { maxZoom: 1.4, padding: { top: '16px', bottom: '16px', left: '56px', right: '24px' } };
}

/**
 * Whether any node lies (partly) outside the visible pane: only then does a minimap help, and only then is
 * it shown, so it never sits on a node of a topology that fits.
 */
export function someNodeOutOfView(s: ReactFlowState): boolean {
  const [tx, ty, zoom] = s.transform;
  for (const node of s.nodeLookup.values()) {
    const { x, y } = node.internals.positionAbsolute;
    const left = x * zoom + tx;
    const top = y * zoom + ty;
    const right = left + (node.measured.width ?? 0) * zoom;
    const bottom = top + (node.measured.height ?? 0) * zoom;
    if (left < 0 || top < 0 || right > s.width || bottom > s.height) return true;
  }
  return false;
}
