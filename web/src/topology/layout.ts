import dagre from '@dagrejs/dagre';
import type { TopologyDocument } from '@lab/model';
import type { NodeKind, Position } from './types';

/** Sizes to lay out with before React Flow has measured a node (roughly what the node types draw). */
const FALLBACK_SIZE: Record<NodeKind, { width: number; height: number }> = {
  source: { width: 190, height: 90 },
  service: { width: 210, height: 130 },
  topic: { width: 190, height: 120 },
};

/**
 * Left-to-right positions for every node, following the links: data flows the way we read. Returns the
 * top-left corners React Flow expects (dagre places centres).
 */
export function autoLayout(
  doc: TopologyDocument,
  measured: Readonly<Record<string, { width: number; height: number }>> = {},
): Map<string, Position> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 50, ranksep: 90, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of doc.nodes) graph.setNode(node.id, { ...(measured[node.id] ?? FALLBACK_SIZE[node.kind]) });
  for (const link of doc.links) graph.setEdge(link.from, link.to);
  dagre.layout(graph);
  const positions = new Map<string, Position>();
  for (const id of graph.nodes()) {
    const { x, y, width, height } = graph.node(id);
    positions.set(id, { x: x - width / 2, y: y - height / 2 });
  }
  return positions;
}
