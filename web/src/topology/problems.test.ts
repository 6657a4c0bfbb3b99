import { validateTopology } from '@lab/model';
import { describe, expect, it } from 'vitest';
import { describeProblem, problemsByItem } from './problems';

describe('problemsByItem', () => {
  it('files each problem under its node or link id and field', () => {
    const doc = {
      version: 1 as const,
      name: 'x',
      nodes: [
        { id: 'orders', kind: 'topic' as const, partitions: 40 },
        { id: 'a', kind: 'topic' as const },
      ],
      links: [{ id: 'l1', kind: 'consume' as const, from: 'orders', to: 'a' }],
    };
    const first = validateTopology(doc);
    expect(first.ok).toBe(false);
    if (first.ok) return;
    expect(problemsByItem(doc, first.problems).nodes).toEqual({ orders: { partitions: 'must be <= 12' } });

    const fixed = { ...doc, nodes: [{ id: 'orders', kind: 'topic' as const }, doc.nodes[1]!] };
    const second = validateTopology(fixed);
    if (second.ok) throw new Error('expected a problem');
    expect(problemsByItem(fixed, second.problems).links).toEqual({
      l1: { kind: 'a consume link cannot go from a topic to a topic (a service consumes from a topic)' },
    });
  });

  it('keeps problems that name no item for the document', () => {
    const doc = { version: 1 as const, name: '', nodes: [], links: [] };
    expect(problemsByItem(doc, [{ path: 'name', error: 'name must not have fewer than 1 characters' }])).toEqual({
      document: ['name must not have fewer than 1 characters'],
      nodes: {},
      links: {},
    });
  });
});

describe('describeProblem', () => {
  const doc = {
    version: 1 as const,
    name: 'x',
    nodes: [
      { id: 'a', kind: 'source' as const },
      { id: 'orders', kind: 'topic' as const, label: 'Orders' },
    ],
    links: [{ id: 'l1', kind: 'consume' as const, from: 'orders', to: 'a' }],
  };

  it('names the node or link instead of its index', () => {
    expect(describeProblem(doc, 'nodes.1.partitions must be <= 12')).toBe('Orders: partitions must be <= 12');
    expect(describeProblem(doc, 'links.0: a consume link cannot go from a topic to a source')).toBe(
      'l1: a consume link cannot go from a topic to a source',
    );
  });

  it('leaves other messages alone', () => {
    expect(describeProblem(doc, 'name must not have fewer than 1 characters')).toBe(
      'name must not have fewer than 1 characters',
    );
    expect(describeProblem(doc, 'nodes.7.id is bad')).toBe('nodes.7.id is bad');
  });
});
