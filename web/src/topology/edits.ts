import type { TopologyDocument } from '@lab/model';
import type { DocLink, DocNode, NodeKind, Position } from './types';

/**
 * Pure edits of the topology document. Each returns a new document (and never mutates its input), so the
 * store can keep the old one for undo.
 */

const KIND_WORD: Record<NodeKind, string> = { source: 'Source', service: 'Service', topic: 'Topic' };

/** `base-1`, `base-2`, …: the first id not taken. Ids also name Kafka topics and groups, so they stay plain. */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const id = `${base}-${n}`;
    if (!taken.has(id)) return id;
  }
}

const nodeIds = (doc: TopologyDocument) => new Set(doc.nodes.map((n) => n.id));
const linkIds = (doc: TopologyDocument) => new Set(doc.links.map((l) => l.id));

export function addNode(
  doc: TopologyDocument,
  kind: NodeKind,
  position: Position,
): { doc: TopologyDocument; id: string } {
  const id = uniqueId(kind, nodeIds(doc));
  const label = `${KIND_WORD[kind]} ${id.slice(kind.length + 1)}`;
  const node = { id, kind, label, position: rounded(position) } as DocNode;
  return { doc: { ...doc, nodes: [...doc.nodes, node] }, id };
}

export function addLink(doc: TopologyDocument, link: Omit<DocLink, 'id'>): { doc: TopologyDocument; id: string } {
  const id = uniqueId('link', linkIds(doc));
  return { doc: { ...doc, links: [...doc.links, { ...link, id } as DocLink] }, id };
}

/** Removes the nodes and links named, and every link that would be left hanging. */
export function removeItems(
  doc: TopologyDocument,
  items: { nodes?: readonly string[]; links?: readonly string[] },
): TopologyDocument {
  const nodes = new Set(items.nodes ?? []);
  const links = new Set(items.links ?? []);
  const keptNodes = doc.nodes.filter((n) => !nodes.has(n.id));
  const keptLinks = doc.links.filter((l) => !links.has(l.id) && !nodes.has(l.from) && !nodes.has(l.to));
  if (keptNodes.length === doc.nodes.length && keptLinks.length === doc.links.length) return doc;
  return { ...doc, nodes: keptNodes, links: keptLinks };
}

/** Copies nodes (and the links among them) beside the originals; returns the copies' ids to select them. */
export function duplicateNodes(
  doc: TopologyDocument,
  ids: readonly string[],
): { doc: TopologyDocument; ids: string[] } {
  const taken = nodeIds(doc);
  const copyOf = new Map<string, string>();
  const copies: DocNode[] = [];
  for (const node of doc.nodes) {
    if (!ids.includes(node.id)) continue;
    const id = uniqueId(node.id.replace(/-\d+$/, ''), taken);
    taken.add(id);
    copyOf.set(node.id, id);
    const at = node.position ?? { x: 0, y: 0 };
    copies.push({ ...node, id, label: `${node.label ?? node.id} copy`, position: { x: at.x + 40, y: at.y + 40 } });
  }
  const takenLinks = linkIds(doc);
  const linkCopies: DocLink[] = [];
  for (const link of doc.links) {
    const from = copyOf.get(link.from);
    const to = copyOf.get(link.to);
    if (!from || !to) continue;
    const id = uniqueId('link', takenLinks);
    takenLinks.add(id);
    linkCopies.push({ ...link, id, from, to });
  }
  return {
    doc: { ...doc, nodes: [...doc.nodes, ...copies], links: [...doc.links, ...linkCopies] },
    ids: [...copyOf.values()],
  };
}

/**
 * Sets fields of one node; a field set to undefined is removed, so it falls back to its default.
 * Changing the id also moves the node's links along, since links name their ends by id.
 */
export function updateNode(doc: TopologyDocument, id: string, patch: Record<string, unknown>): TopologyDocument {
  const newId = typeof patch.id === 'string' ? patch.id : id;
  return {
    ...doc,
    nodes: doc.nodes.map((n) => (n.id === id ? patched(n, patch) : n)),
    links:
      newId === id
        ? doc.links
        : doc.links.map((l) =>
            l.from === id || l.to === id
              ? { ...l, from: l.from === id ? newId : l.from, to: l.to === id ? newId : l.to }
              : l,
          ),
  };
}

export function updateLink(doc: TopologyDocument, id: string, patch: Record<string, unknown>): TopologyDocument {
  return { ...doc, links: doc.links.map((l) => (l.id === id ? patched(l, patch) : l)) };
}

export function moveNodes(doc: TopologyDocument, positions: ReadonlyMap<string, Position>): TopologyDocument {
  if (!positions.size) return doc;
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      const at = positions.get(n.id);
      return at ? { ...n, position: rounded(at) } : n;
    }),
  };
}

function patched<T extends object>(item: T, patch: Record<string, unknown>): T {
  const next: Record<string, unknown> = { ...item, ...patch };
  for (const [key, value] of Object.entries(patch)) if (value === undefined) delete next[key];
  return next as T;
}

/** Whole pixels: the saved document stays readable and diffs stay small. */
function rounded(at: Position): Position {
  return { x: Math.round(at.x), y: Math.round(at.y) };
}
