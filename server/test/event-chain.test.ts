import type { TopologyDocument } from '@lab/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabHarness, startLab } from './lab-harness.js';

const flow = (consumers: TopologyDocument['nodes'], links: TopologyDocument['links'] = []): TopologyDocument => ({
  version: 1,
  name: 'event chain',
  nodes: [
    { id: 'A', kind: 'source', ratePerSec: 40, payload: { orderId: { kind: 'id' } }, keyField: 'orderId' },
    { id: 'orders', kind: 'topic', partitions: 4 },
    ...consumers,
  ],
  links: [{ id: 'produce', kind: 'produce', from: 'A', to: 'orders' }, ...links],
});

describe('an event chain A → topic → B', () => {
  let h: LabHarness;
  beforeAll(async () => {
    h = await startLab();
  });
  afterAll(() => h.close());

  it('isolates a crash: A keeps producing, B’s lag (read from Kafka) grows, then drains to 0 with nothing lost', async () => {
    const doc = flow(
      [{ id: 'B', kind: 'service', processingMs: 2 }],
      [{ id: 'consume', kind: 'consume', from: 'orders', to: 'B' }],
    );
    expect((await h.put(doc)).status).toBe(200);
    expect((await h.post('/api/run')).status).toBe(200);
    const healthy = await h.until('B keeping up', (s) => s.nodes.B!.inRate > 30 && s.links.consume!.lag !== undefined);
    const rateBefore = healthy.nodes.A!.outRate;

    expect((await h.post('/api/nodes/B/actions', { action: 'crash' })).status).toBe(200);
    await h.until('lag above 100', (s) => (s.links.consume!.lag ?? 0) > 100, 20_000);
    const during = h.state();
    expect(during.nodes.B!.status).toBe('down');
    expect(during.nodes.A!.errorRate).toBe(0);
    expect(during.nodes.A!.outRate).toBeGreaterThan(rateBefore * 0.75);
    expect(during.topics.orders!.groups.B!.lag).toBe(during.links.consume!.lag);

    expect((await h.post('/api/nodes/B/actions', { action: 'revive' })).status).toBe(200);
    await h.post('/api/nodes/A/rate', { perSecond: 0 });
    await h.until('lag back to 0', (s) => s.links.consume!.lag === 0 && s.nodes.B!.inRate === 0, 40_000);

    const delivery = (await h.app.inject('/api/topics/orders/delivery')).json();
    expect(delivery.produced).toBeGreaterThan(200);
    expect(delivery.groups.B).toMatchObject({ missing: 0, tracked: true });
    expect(delivery.groups.B.processed).toBe(delivery.produced);
    // At-least-once: a crash before a commit means some events come again. They are counted, not hidden.
    expect(delivery.groups.B.duplicates).toBeGreaterThanOrEqual(0);
    console.log(
      `event chain: produced ${delivery.produced}, processed ${delivery.groups.B.processed}, duplicates ${delivery.groups.B.duplicates}`,
    );
  });

  it('moves a crashed instance’s partitions to the other within the session timeout, and keeps processing', async () => {
    await h.post('/api/stop');
    const doc = flow(
      [{ id: 'B', kind: 'service', instances: 2, processingMs: 2 }],
      [{ id: 'consume', kind: 'consume', from: 'orders', to: 'B' }],
    );
    await h.post('/api/nodes/A/rate', { perSecond: 40 }).catch(() => {});
    expect((await h.put(doc)).status).toBe(200);
    expect((await h.post('/api/run')).status).toBe(200);
    await h.until('both instances owning partitions', (s) => new Set(s.topics.orders?.groups.B?.owners).size === 2);

    const crashedAt = Date.now();
    expect((await h.post('/api/nodes/B/actions', { action: 'crash', instance: 'B-1' })).status).toBe(200);
    const moved = await h.until(
      'every partition owned by B-2',
      (s) =>
        s.topics.orders?.groups.B?.owners.length === 4 && s.topics.orders.groups.B.owners.every((o) => o === 'B-2'),
      20_000,
    );
    const tookMs = Date.now() - crashedAt;
    expect(tookMs).toBeLessThan(6_000 + 5_000); // session timeout plus the rebalance and a lag read
    expect(moved.nodes.B!.instances).toEqual([
      { id: 'B-1', status: 'down' },
      { id: 'B-2', status: expect.stringMatching(/running|rebalancing/) },
    ]);
    const processed = moved.nodes.B!.processed;
    await h.until('B-2 still processing', (s) => s.nodes.B!.processed > processed + 50);
    expect(
      h.lab.log.recent().some((e) => e.kind === 'rebalance' && /B-2 now owns orders \[0, 1, 2, 3\]/.test(e.message)),
    ).toBe(true);
    console.log(`partitions moved ${tookMs} ms after the crash`);
  });

  it('a consumer added live, starting from the earliest offset, replays every event already in the topic', async () => {
    await h.post('/api/nodes/A/rate', { perSecond: 0 });
    await h.until('A idle', (s) => s.nodes.A!.outRate === 0);
    const produced = (await h.app.inject('/api/topics/orders/delivery')).json().produced as number;
    const end = h.state().topics.orders!.endOffsets.reduce((a, b) => a + b, 0);
    expect(end).toBeGreaterThanOrEqual(produced);

    const doc = flow(
      [
        { id: 'B', kind: 'service', instances: 2, processingMs: 2 },
        { id: 'audit', kind: 'service', processingMs: 0, concurrency: 16 },
      ],
      [
        { id: 'consume', kind: 'consume', from: 'orders', to: 'B' },
        { id: 'replay', kind: 'consume', from: 'orders', to: 'audit', startFrom: 'earliest' },
      ],
    );
    expect((await h.put(doc)).status).toBe(200);
    await h.until(
      'audit caught up with the whole topic',
      (s) => s.nodes.audit!.processed >= end && s.links.replay!.lag === 0,
      40_000,
    );
    const delivery = (await h.app.inject('/api/topics/orders/delivery')).json();
    expect(delivery.groups.audit.missing).toBe(0);
    expect(h.state().nodes.B!.status).not.toBe('idle'); // the running service was left alone
  });
});

describe('a live edit that gives a running service its first produce link', () => {
  let h: LabHarness;
  beforeAll(async () => {
    h = await startLab();
  });
  afterAll(() => h.close());

  it('starts producing without a restart of the service', async () => {
    const base = flow(
      [{ id: 'B', kind: 'service', processingMs: 1 }],
      [{ id: 'consume', kind: 'consume', from: 'orders', to: 'B' }],
    );
    expect((await h.put(base)).status).toBe(200);
    expect((await h.post('/api/run')).status).toBe(200);
    await h.until('B consuming', (s) => s.nodes.B!.inRate > 20);
    const withOutput: TopologyDocument = {
      ...base,
      nodes: [...base.nodes, { id: 'billed', kind: 'topic', partitions: 1 }],
      links: [...base.links, { id: 'bill', kind: 'produce', from: 'B', to: 'billed' }],
    };
    expect((await h.put(withOutput)).status).toBe(200);
    const s = await h.until(
      'B producing to billed, without failures',
      (x) => (x.links.bill?.rate ?? 0) > 20 && x.nodes.B!.errorRate === 0,
      20_000,
    );
    expect(s.topics.billed?.endOffsets.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
