import { getBezierPath, type InternalNode, Position, type ReactFlowState, useStore } from '@xyflow/react';
import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { type LabelPlace, placeLabels, type Rect, type WantedLabel } from '../geometry/labels';
import { usePresenter } from '../store/selectors';
import type { LabEdge } from './flow';
import { useDetail } from './useDetail';

/**
 * Room a link's label needs, in flow units (labels scale with the canvas): the lag buffer (bar over
 * "lag 12,345") and the REST call's words ("failing 100%" over "circuit half-open"). Generous, so a real
 * label never outgrows the place kept for it; presenter mode's larger type gets more.
 */
const SIZE = { consume: { width: 92, height: 38 }, call: { width: 124, height: 30 } } as const;
const PRESENTER_SCALE = 1.3;

const Places = createContext<ReadonlyMap<string, LabelPlace>>(new Map());

/** The place of a link's label (its centre), or undefined to use the link's middle. */
export const useLabelPlace = (id: string) => useContext(Places).get(id);

/**
 * Keeps every lag buffer and REST call label off the nodes and off each other (see placeLabels). Placed
 * again only when the geometry changes (a node moved or was measured, a link came or went), never per frame.
 */
export function LabelPlaces({ children }: { children: ReactNode }) {
  const { presenter } = usePresenter();
  // Zoomed out, links draw no labels (see geometry/detail.ts): nothing to place.
  const detail = useDetail();
  const key = useStore(geometryKey);
  const nodeLookup = useStore((s) => s.nodeLookup);
  const edges = useStore((s) => s.edges) as LabEdge[];
  // biome-ignore lint/correctness/useExhaustiveDependencies: key sums up the geometry read from nodeLookup and edges
  const places = useMemo(() => {
    if (detail === 'compact') return new Map<string, LabelPlace>();
    const scale = presenter ? PRESENTER_SCALE : 1;
    const rects: Rect[] = [];
    for (const node of nodeLookup.values()) {
      const { x, y } = node.internals.positionAbsolute;
      rects.push({ x, y, width: node.measured.width ?? 0, height: node.measured.height ?? 0 });
    }
    const wanted: WantedLabel[] = [];
    for (const edge of edges) {
      const kind = edge.data?.link.kind;
      if (kind !== 'consume' && kind !== 'call') continue;
      const path = pathOf(nodeLookup.get(edge.source), nodeLookup.get(edge.target));
      if (path) wanted.push({ id: edge.id, path, width: SIZE[kind].width * scale, height: SIZE[kind].height * scale });
    }
    return placeLabels(rects, wanted);
  }, [key, presenter, detail]);
  return <Places.Provider value={places}>{children}</Places.Provider>;
}

/** Everything the places depend on, as one string: a store change that moves nothing changes nothing. */
function geometryKey(s: ReactFlowState): string {
  let key = '';
  for (const node of s.nodeLookup.values()) {
    const { x, y } = node.internals.positionAbsolute;
    key += `${node.id},${Math.round(x)},${Math.round(y)},${node.measured.width},${node.measured.height};`;
  }
  for (const edge of s.edges) key += `${edge.id},${edge.source},${edge.target},${edge.type};`;
  return key;
}

/** The link's path as React Flow draws it: from the source's right handle to the target's left one. */
function pathOf(source: InternalNode | undefined, target: InternalNode | undefined) {
  const out = source && handlePoint(source, 'source');
  const into = target && handlePoint(target, 'target');
  if (!out || !into) return undefined;
  return getBezierPath({
    sourceX: out.x,
    sourceY: out.y,
    sourcePosition: Position.Right,
    targetX: into.x,
    targetY: into.y,
    targetPosition: Position.Left,
  })[0];
}

function handlePoint(node: InternalNode, type: 'source' | 'target') {
  const handle = node.internals.handleBounds?.[type]?.[0];
  if (!handle) return undefined;
  const { x, y } = node.internals.positionAbsolute;
  return { x: x + handle.x + (type === 'source' ? handle.width : 0), y: y + handle.y + handle.height / 2 };
}

/** A thin line from a label set beside its link back to the point of the link it describes. */
export function LabelLeader({ place }: { place: LabelPlace | undefined }) {
  if (!place || (place.x === place.anchor.x && place.y === place.anchor.y)) return null;
  return <path className="label-leader" d={`M${place.anchor.x},${place.anchor.y}L${place.x},${place.y}`} />;
}
