import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinIds } from '../../test/builtin-ids.js';
import { applyDelta, diffSnapshot } from './delta.js';
import { emptySnapshot, type Snapshot } from './protocol.js';

// Live frames travel as deltas keyed by node and link ids; ids named like built-in properties ("__proto__",
// "constructor") must be added, changed and removed like any other.
const NAMES = builtinIds();
const node = (inRate: number) => ({
  status: 'running' as const,
  instances: [],
  inRate,
  outRate: 0,
  errorRate: 0,
  inFlight: 0,
  p50Ms: 0,
  p99Ms: 0,
  processed: 0,
  failed: 0,
});
const nodesArb = fc.dictionary(fc.constantFrom(...NAMES), fc.nat(5).map(node), { maxKeys: 12 });
const snapshotWith = (nodes: Record<string, ReturnType<typeof node>>): Snapshot =>
  JSON.parse(JSON.stringify({ ...emptySnapshot({ status: 'up', brokers: [], managed: true }), nodes }));

describe('snapshot deltas with ids named like built-in properties', () => {
  it('turn any snapshot into any other, over JSON, entry by entry', () => {
    fc.assert(
      fc.property(nodesArb, nodesArb, (before, after) => {
        const from = snapshotWith(before);
        const to = snapshotWith(after);
        const delta = JSON.parse(JSON.stringify(diffSnapshot(from, to)));
        const applied = applyDelta(from, delta);
        expect(Object.keys(applied.nodes).sort()).toEqual(Object.keys(to.nodes).sort());
        for (const id of Object.keys(to.nodes))
          expect(Object.getOwnPropertyDescriptor(applied.nodes, id)?.value).toEqual(
            Object.getOwnPropertyDescriptor(to.nodes, id)?.value,
          );
      }),
      { numRuns: 500 },
    );
  });
});
