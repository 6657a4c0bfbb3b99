import { findCallCycle, LIMITS, LINK_RULES, type TopologyDocument } from '@lab/model';
import type { DocLink, LinkKind, NodeKind } from '../topology/types';

/**
 * What a line drawn from one node to another means. The kind follows from the ends (DESIGN: produce,
 * consume, call), so the user never picks it; a connection that means nothing is refused with the rule.
 */
export function linkKindFor(from: NodeKind, to: NodeKind): LinkKind | undefined {
  if (to === 'topic') return from === 'topic' ? undefined : 'produce';
  if (to === 'service') return from === 'topic' ? 'consume' : 'call';
  return undefined;
}

export type Inference = { ok: true; link: Omit<DocLink, 'id'> } | { ok: false; reason: string };

const A: Record<NodeKind, string> = { source: 'a source', service: 'a service', topic: 'a topic' };

export function inferLink(doc: TopologyDocument, fromId: string, toId: string): Inference {
  const from = doc.nodes.find((n) => n.id === fromId);
  const to = doc.nodes.find((n) => n.id === toId);
  if (!from || !to) return { ok: false, reason: 'Both ends of a link must be nodes on the canvas.' };
  if (from.id === to.id) return { ok: false, reason: `"${name(from)}" cannot link to itself.` };

  const kind = linkKindFor(from.kind, to.kind);
  if (!kind)
    return { ok: false, reason: `${capital(A[from.kind])} cannot link to ${A[to.kind]}: ${rulesFor(to.kind)}.` };
  if (doc.links.some((l) => l.kind === kind && l.from === from.id && l.to === to.id)) {
    return { ok: false, reason: `"${name(from)}" already has a ${kind} link to "${name(to)}".` };
  }
  if (doc.links.length >= LIMITS.links) {
    return { ok: false, reason: `A topology holds at most ${LIMITS.links} links.` };
  }
  const link = { kind, from: from.id, to: to.id } as Omit<DocLink, 'id'>;
  if (kind === 'call') {
    const cycle = findCallCycle({ links: [...doc.links, { ...link, id: '' } as DocLink] as never });
    if (cycle) {
      return {
        ok: false,
        reason: `These REST calls would form a cycle (${cycle.join(' → ')}): every request would wait on itself.`,
      };
    }
  }
  return { ok: true, link };
}

/** The rules that say what may point at this kind of node, in LINK_RULES' own words. */
function rulesFor(to: NodeKind): string {
  if (to === 'source') return `a source only starts links (${LINK_RULES.produce.reads}; ${LINK_RULES.call.reads})`;
  // Only topic -> topic is left: the way between two topics is a service.
  return `put a service between them (${LINK_RULES.consume.reads}, and ${LINK_RULES.produce.reads})`;
}

const name = (node: { id: string; label?: string }) => node.label ?? node.id;
const capital = (text: string) => text[0]!.toUpperCase() + text.slice(1);
