import type { TopologyDocument } from '@lab/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabHarness, startLab } from './lab-harness.js';

const MODES = { alo: 'at-least-once', idem: 'idempotent', eos: 'exactly-once' } as const;
type Short = keyof typeof MODES;
const SHORTS = Object.keys(MODES) as Short[];
// Each crash waits ~7 s for the group to rejoin (the crashed member's 6 s session): `npm test` runs 5, each
// redoing ~25-45 events at-least-once (8 crashes showed 196-377 duplicates in every measured run), so the
// expectations below still need duplicates that show in every crash; DELIVERY_CRASHES=20 runs the 20 of the
// issue's goal (about five minutes; its last results are in docs/design/failures-and-delivery.md).
const CRASHES = Number(process.env.DELIVERY_CRASHES ?? 5);

/** One source, three services side by side on the same topic (one per delivery mode), each feeding a sink. */
const topology: TopologyDocument = {
  version: 1,
  name: 'delivery modes',
  nodes: [
    { id: 'shop', kind: 'source', ratePerSec: 80, payload: { orderId: { kind: 'id' } }, keyField: 'orderId' },
    { id: 'orders', kind: 'topic', partitions: 3 },
    ...SHORTS.flatMap((s): TopologyDocument['nodes'] => [
      // 15 ms per event keeps a few events in hand per partition (80 ev/s over 3 partitions), so a crash
      // always lands on work done but not yet committed: what at-least-once redoes and the others must not.
      { id: s, kind: 'service', processingMs: 15, delivery: MODES[s] },
      { id: `${s}-out`, kind: 'topic', partitions: 3 },
      { id: `${s}-sink`, kind: 'service', processingMs: 0 },
    ]),
  ],
  links: [
    { id: 'p', kind: 'produce', from: 'shop', to: 'orders' },
    ...SHORTS.flatMap((s): TopologyDocument['links'] => [
      { id: `${s}-in`, kind: 'consume', from: 'orders', to: s },
      { id: `${s}-p`, kind: 'produce', from: s, to: `${s}-out` },
      { id: `${s}-c`, kind: 'consume', from: `${s}-out`, to: `${s}-sink` },
    ]),
  ],
};

describe('delivery guarantees under crashes', () => {
  let h: LabHarness;
  beforeAll(async () => {
    h = await startLab();
  });
  afterAll(() => h.close());

  it(`after ${CRASHES} crashes under load: at-least-once processes some events twice, idempotent and exactly-once none`, async () => {
    expect((await h.put(topology)).status).toBe(200);
    expect((await h.post('/api/run')).status).toBe(200);
    await h.until('all flowing', (s) => SHORTS.every((x) => s.nodes[`${x}-sink`]!.inRate > 20), 30_000);

    const started = Date.now();
    for (let crash = 1; crash <= CRASHES; crash++) {
      const before = Object.fromEntries(SHORTS.map((x) => [x, h.state().nodes[x]!.processed]));
      // Crash a moment after processing resumed: events handled since the last commit come again.
      for (const x of SHORTS) expect((await h.post(`/api/nodes/${x}/actions`, { action: 'crash' })).status).toBe(200);
      for (const x of SHORTS) expect((await h.post(`/api/nodes/${x}/actions`, { action: 'revive' })).status).toBe(200);
      await h.until(
        `crash ${crash}: all three processing again`,
        (s) => SHORTS.every((x) => s.nodes[x]!.processed > before[x]! + 5),
        30_000,
      );
      await new Promise((r) => setTimeout(r, 300));
      if (crash % 5 === 0) console.log(`${crash} crashes after ${Math.round((Date.now() - started) / 1000)} s`);
    }

    await h.post('/api/nodes/shop/rate', { perSecond: 0 });
    const groups = () =>
      JSON.stringify(
        SHORTS.map((x) => {
          const s = h.state();
          const { committed: _, owners: __, ...own } = s.topics.orders?.groups[x] ?? ({} as never);
          const { committed: ___, owners: ____, ...down } = s.topics[`${x}-out`]?.groups[`${x}-sink`] ?? ({} as never);
          return { [x]: own, sink: down };
        }),
      );
    await h
      .until(
        'every group caught up and every event accounted for',
        (s) =>
          SHORTS.every(
            (x) =>
              s.topics.orders?.groups[x]?.lag === 0 &&
              s.topics.orders.groups[x]!.missing === 0 &&
              s.topics[`${x}-out`]?.groups[`${x}-sink`]?.missing === 0,
          ),
        60_000,
      )
      .catch((err: Error) => {
        throw new Error(`${err.message}: ${groups()}`);
      });
    const report = async (topic: string) => (await h.app.inject(`/api/topics/${topic}/delivery`)).json();
    const orders = await report('orders');
    const downstream: Record<string, { duplicates: number; missing: number }> = {};
    for (const x of SHORTS) downstream[x] = (await report(`${x}-out`)).groups[`${x}-sink`];
    const summary = SHORTS.map(
      (x) =>
        `${MODES[x]}: duplicates ${orders.groups[x].duplicates}, dropped ${orders.groups[x].dropped}, downstream duplicates ${downstream[x]!.duplicates}`,
    );
    console.log(`${CRASHES} crashes, ${orders.produced} events:\n  ${summary.join('\n  ')}`);
    for (const x of SHORTS) expect(orders.groups[x]).toMatchObject({ missing: 0, lost: 0, deadLettered: 0 });
    expect(orders.groups.alo.duplicates).toBeGreaterThan(0);
    expect(downstream.alo!.duplicates).toBeGreaterThan(0);
    expect(orders.groups.idem.duplicates).toBe(0);
    expect(orders.groups.idem.dropped).toBeGreaterThan(0);
    expect(orders.groups.eos.duplicates).toBe(0);
    expect(downstream.eos!.duplicates).toBe(0);
    expect(downstream.eos!.missing).toBe(0);
  }, 300_000);
});
