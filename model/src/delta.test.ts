import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDelta, diffSnapshot, isEmptyDelta } from './delta.js';
import { emptySnapshot, type NodeLive, type Snapshot } from './protocol.js';

const kafka = { status: 'up' as const, brokers: ['127.0.0.1:9092'], managed: true };
const node = (processed: number, status: NodeLive['status'] = 'running'): NodeLive => ({
  status,
  instances: [{ id: 'a-1', status }],
  inRate: 1,
  outRate: 1,
  errorRate: 0,
  inFlight: 0,
  p50Ms: 1,
  p99Ms: 2,
  processed,
  failed: 0,
});

describe('snapshot deltas', () => {
  it('carries only what changed, and null for what went away', () => {
    const from: Snapshot = { ...emptySnapshot(kafka), running: true, startedAt: 5, nodes: { a: node(1), b: node(1) } };
    const to: Snapshot = { ...emptySnapshot(kafka), running: true, nodes: { a: node(2), c: node(0) } };
    expect(diffSnapshot(from, to)).toEqual({ startedAt: null, nodes: { a: node(2), b: null, c: node(0) } });
    expect(isEmptyDelta(diffSnapshot(to, structuredClone(to)))).toBe(true);
  });

  it('rebuilds the new snapshot, sharing unchanged entries with the old one', () => {
    const from: Snapshot = { ...emptySnapshot(kafka), running: true, nodes: { a: node(1), b: node(1) } };
    const to: Snapshot = { ...from, nodes: { a: node(1), b: node(2, 'down') } };
    const next = applyDelta(from, diffSnapshot(from, to));
    expect(next).toEqual(to);
    expect(next.nodes.a).toBe(from.nodes.a);
    expect(from.nodes.b!.processed).toBe(1); // the base is not modified
  });

  it('applyDelta(a, diffSnapshot(a, b)) equals b for any two snapshots', () => {
    const status = fc.constantFrom<NodeLive['status']>('running', 'down', 'hung', 'failing');
    const nodes = fc.dictionary(
      fc.constantFrom('a', 'b', 'c', 'd'),
      fc.tuple(fc.nat(5), status).map(([n, s]) => node(n, s)),
    );
    const snapshot = fc.record({
      running: fc.boolean(),
      startedAt: fc.option(fc.nat(), { nil: undefined }),
      nodes,
      topologyRevision: fc.option(fc.nat(3), { nil: undefined }),
    });
    fc.assert(
      fc.property(snapshot, snapshot, (a, b) => {
        const from = clean({ ...emptySnapshot(kafka), ...a });
        const to = clean({ ...emptySnapshot(kafka), ...b });
        expect(applyDelta(from, JSON.parse(JSON.stringify(diffSnapshot(from, to))))).toEqual(to);
      }),
    );
  });
});

/** As JSON would carry it: no keys holding undefined. */
function clean(snapshot: Snapshot): Snapshot {
  return JSON.parse(JSON.stringify(snapshot));
}
