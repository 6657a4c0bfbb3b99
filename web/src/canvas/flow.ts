import { DEFAULTS, deadLetterTopicId, defaultPosition, impliedDeadLetterTopics, own } from '@lab/model';
import type { Edge, Node } from '@xyflow/react';
import { useMemo } from 'react';
import { useFlowInputs } from '../store/selectors';
import type { Selection, Size } from '../store/ui';
import type { DocLink, DocNode, NodeKind } from '../topology/types';

/** React Flow's view of the document: plain data only (no callbacks), so nodes re-render only on change. */
/** `deadLetterOf`: a dead-letter topic the runtime makes for that topic (not in the document: not editable). */
export type LabNodeData = { node: DocNode; deadLetterOf?: string };
export type LabNode = Node<LabNodeData, NodeKind>;
/** `deadLetter`: where a consuming service parks what it failed (drawn, not in the document). */
export type LabEdgeData = { link: DocLink; deadLetter?: boolean };
export type LabEdge = Edge<LabEdgeData, 'async' | 'call'>;

interface Inputs {
  nodes: readonly DocNode[];
  links: readonly DocLink[];
  selection: Selection;
  measured: Readonly<Record<string, Size>>;
  editable: boolean;
  /** Dead-letter topics that hold events now (from the live snapshot). */
  filledDeadLetters?: readonly string[];
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
    const size = own(inputs.measured, docNode.id);
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
  nodes.push(...deadLetterNodes(inputs, nodes, cache, seen));
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
  const ids = new Set(nodes.map((n) => n.id));
  for (const link of inputs.links) {
    if (link.kind !== 'consume' || (link.onFailure ?? DEFAULTS.consume.onFailure) !== 'dead-letter') continue;
    const dlq = deadLetterTopicId(link.from);
    if (!ids.has(dlq) || !ids.has(link.to)) continue;
    edges.push({
      id: `${link.id}.dlq`,
      source: link.to,
      target: dlq,
      type: 'async',
      data: { link: { id: `${link.id}.dlq`, kind: 'produce', from: link.to, to: dlq }, deadLetter: true },
      className: 'dead-letter-edge',
      selectable: false,
      deletable: false,
    });
  }
  // A polling service asks its target over REST: drawn as a call it makes on its own clock.
  for (const node of inputs.nodes) {
    if (node.kind !== 'service' || node.behavior?.kind !== 'poll' || !ids.has(node.behavior.target)) continue;
    const id = `${node.id}.poll`;
    edges.push({
      id,
      source: node.id,
      target: node.behavior.target,
      type: 'call',
      data: { link: { id, kind: 'call', from: node.id, to: node.behavior.target } },
      className: 'poll-edge',
      selectable: false,
      deletable: false,
    });
  }
  return { nodes, edges };
}

/** The dead-letter topics the document implies, each drawn under the topic it belongs to. */
function deadLetterNodes(
  inputs: Inputs,
  drawn: LabNode[],
  cache: Map<string, { key: unknown[]; node: LabNode }>,
  seen: Set<string>,
): LabNode[] {
  // Every consume link dead-letters by default (and a saved document spells the default out): an implied
  // dead-letter topic is drawn once it holds events, so a canvas is not doubled by empty parking lots.
  const filled = new Set(inputs.filledDeadLetters ?? []);
  return impliedDeadLetterTopics(inputs).flatMap(({ id, of }) => {
    const origin = drawn.find((n) => n.id === of);
    if (!origin || !filled.has(id)) return [];
    const size = inputs.measured[id];
    const key = [origin.position.x, origin.position.y, size];
    seen.add(id);
    const cached = cache.get(id);
    if (cached?.key.every((part, j) => part === key[j])) return [cached.node];
    const node: LabNode = {
      id,
      type: 'topic',
      position: { x: origin.position.x, y: origin.position.y + 150 },
      data: { node: { id, kind: 'topic', partitions: 1, label: id }, deadLetterOf: of },
      draggable: false,
      connectable: false,
      deletable: false,
      selectable: false,
      // Not selectable nor draggable, React Flow would let clicks through: its Redrive button must get them.
      style: { pointerEvents: 'all' },
      ...(size && { measured: size }),
    };
    cache.set(id, { key, node });
    return [node];
  });
}

/** React Flow's nodes and edges for the store's document, rebuilt only when an input changed. */
export function useFlowGraph() {
  const inputs = useFlowInputs();
  const cache = useMemo(() => new Map<string, { key: unknown[]; node: LabNode }>(), []);
  return useMemo(() => flowGraph(inputs, cache), [inputs, cache]);
}
