import { defaultPosition } from '@lab/model';
import type { Edge, Node } from '@xyflow/react';
import { useMemo } from 'react';
import { useFlowInputs } from '../store/selectors';
import type { Selection, Size } from '../store/ui';
import type { DocLink, DocNode, NodeKind } from '../topology/types';

/** React Flow's view of the document: plain data only (no callbacks), so nodes re-render only on change. */
export type LabNodeData = { node: DocNode };
export type LabNode = Node<LabNodeData, NodeKind>;
export type LabEdgeData = { link: DocLink };
export type LabEdge = Edge<LabEdgeData, 'async' | 'call'>;

interface Inputs {
  nodes: readonly DocNode[];
  links: readonly DocLink[];
  selection: Selection;
  measured: Readonly<Record<string, Size>>;
  editable: boolean;
}

/**
 * Builds React Flow's nodes and edges from the document. A node whose inputs did not change keeps its
 * object, because React Flow forgets a node's measured size (and re-measures it) when the object changes.
 */
export function flowGraph(inputs: Inputs, cache: Map<string, { key: unknown[]; node: LabNode }>) {
  const selectedNodes = new Set(inputs.selection.nodes);
  const selectedLinks = new Set(inputs.selection.links);
  const seen = new Set<string>();
  const nodes = inputs.nodes.map((docNode, i): LabNode => {
    const selected = selectedNodes.has(docNode.id);
    const size = inputs.measured[docNode.id];
    const key = [docNode, selected, size, inputs.editable];
    seen.add(docNode.id);
    const cached = cache.get(docNode.id);
    if (cached?.key.every((part, j) => part === key[j])) return cached.node;
    const node: LabNode = {
      id: docNode.id,
      type: docNode.kind,
      // Same fallback as the model's normalizeTopology, so a document without positions looks the same.
      position: docNode.position ?? defaultPosition(i),
      data: { node: docNode },
      selected,
      draggable: inputs.editable,
      connectable: inputs.editable,
      deletable: inputs.editable,
      // `measured`, not width/height: those would fix the node's size, and a card grows once live numbers arrive.
      ...(size && { measured: size }),
    };
    cache.set(docNode.id, { key, node });
    return node;
  });
  for (const id of cache.keys()) if (!seen.has(id)) cache.delete(id);

  const edges = inputs.links.map(
    (link): LabEdge => ({
      id: link.id,
      source: link.from,
      target: link.to,
      type: link.kind === 'call' ? 'call' : 'async',
      data: { link },
      selected: selectedLinks.has(link.id),
      deletable: inputs.editable,
    }),
  );
  return { nodes, edges };
}

/** React Flow's nodes and edges for the store's document, rebuilt only when an input changed. */
export function useFlowGraph() {
  const inputs = useFlowInputs();
  const cache = useMemo(() => new Map<string, { key: unknown[]; node: LabNode }>(), []);
  return useMemo(() => flowGraph(inputs, cache), [inputs, cache]);
}
