import dagre from '@dagrejs/dagre';
import { own, type TopologyDocument } from '@lab/model';
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
  // dagre keys plain objects by node name, where "__proto__" or "constructor" would break it: it gets each
  // node's index instead, and the ids come back below.
  const key = new Map(doc.nodes.map((node, i) => [node.id, `n${i}`]));
  for (const [i, node] of doc.nodes.entries())
    graph.setNode(`n${i}`, { ...(own(measured, node.id) ?? FALLBACK_SIZE[node.kind]) });
  for (const link of doc.links) {
    const from = key.get(link.from);
    const to = key.get(link.to);
    if (from && to) graph.setEdge(from, to);
  }
  dagre.layout(graph);
  const positions = new Map<string, Position>();
  doc.nodes.forEach((node, i) => {
    const { x, y, width, height } = graph.node(`n${i}`);
    positions.set(node.id, { x: x - width / 2, y: y - height / 2 });
  });
  return positions;
}
