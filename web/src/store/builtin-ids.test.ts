import { emptySnapshot, type Snapshot, type TopologyDocument } from '@lab/model';
import { describe, expect, it } from 'vitest';
import { builtinIds } from '../../../test/builtin-ids';
import { autoLayout } from '../topology/layout';
import { problemsByItem } from '../topology/problems';
import { trendOf } from './trend';

// The page reads snapshots and documents by node id; ids named like built-in properties are valid ids and
// must read as absent or as their own entry, never as something inherited.
const NAMES = builtinIds();

const doc: TopologyDocument = {
  version: 1,
  name: 'built-ins',
  nodes: NAMES.slice(0, 120).map((id) => ({ id, kind: 'topic' as const })),
  links: [],
};

describe('the page with ids named like built-in properties', () => {
  it('lays every node out at its own position', () => {
    const withLinks = {
      ...doc,
      nodes: [...doc.nodes, { id: 'svc', kind: 'service' as const }],
      links: doc.nodes.map((n, i) => ({ id: `l${i}`, kind: 'consume' as const, from: n.id, to: 'svc' })),
    };
    const positions = autoLayout(withLinks);
    for (const node of withLinks.nodes)
      expect(positions.get(node.id), node.id).toMatchObject({ x: expect.any(Number) });
    expect(positions.size).toBe(withLinks.nodes.length);
  });

  it('trends and problems keep one entry per id and nothing inherited', () => {
    const snapshot: Snapshot = JSON.parse(
      JSON.stringify({
        ...emptySnapshot({ status: 'up', brokers: [], managed: true }),
        nodes: Object.fromEntries(
          NAMES.map((id) => [
            id,
            {
              status: 'running',
              instances: [],
              inRate: 1,
              outRate: 1,
              errorRate: 0,
              inFlight: 0,
              p50Ms: 1,
              p99Ms: 2,
              processed: 0,
              failed: 0,
            },
          ]),
        ),
      }),
    );
    const trend = trendOf(snapshot);
    expect(Object.keys(trend).sort()).toEqual([...NAMES].sort());
    for (const id of NAMES) expect(Object.getOwnPropertyDescriptor(trend, id)?.value.lag).toBe(0);

    const problems = problemsByItem(
      doc,
      doc.nodes.map((_, i) => ({ path: `nodes.${i}.partitions`, error: `nodes.${i}.partitions must be <= 12` })),
    );
    for (const node of doc.nodes)
      expect(Object.getOwnPropertyDescriptor(problems.nodes, node.id)?.value).toEqual({ partitions: 'must be <= 12' });
  });
});
