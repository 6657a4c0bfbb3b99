import { HEADERS, type TopologyDocument } from '@lab/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabHarness, startLab } from './lab-harness.js';

type OnFailure = 'dead-letter' | 'skip' | 'block';

const flow = (onFailure: OnFailure, extra: Record<string, unknown> = {}): TopologyDocument => ({
  version: 1,
  name: `failure policy ${onFailure}`,
  nodes: [
    { id: 'shop', kind: 'source', ratePerSec: 30, payload: { orderId: { kind: 'id' } }, keyField: 'orderId' },
    { id: 'orders', kind: 'topic', partitions: 3 },
    { id: 'billing', kind: 'service', processingMs: 1 },
  ],
  links: [
    { id: 'p', kind: 'produce', from: 'shop', to: 'orders' },
    { id: 'c', kind: 'consume', from: 'orders', to: 'billing', onFailure, attempts: 3, backoffMs: 20, ...extra },
  ],
});

const delivery = async (h: LabHarness, topic: string) => (await h.app.inject(`/api/topics/${topic}/delivery`)).json();
const sum = (list: number[] | undefined) => (list ?? []).reduce((a, b) => a + b, 0);

describe('what happens to an event a service fails', () => {
  let h: LabHarness;
  beforeAll(async () => {
    h = await startLab();
  });
  afterAll(() => h.close());

  it('dead-letter: retried, then parked in orders.dlq with its origin and reason; Redrive sends it back', async () => {
    expect((await h.put(flow('dead-letter'))).status).toBe(200);
    expect((await h.post('/api/run')).status).toBe(200);
    await h.until('billing flowing', (s) => s.nodes.billing!.inRate > 10);
    for (let i = 0; i < 5; i++)
      expect((await h.post('/api/nodes/shop/actions', { action: 'poison' })).status).toBe(200);
    await h.until('5 poison pills dead-lettered', (s) => s.topics.orders?.groups.billing?.deadLettered === 5);
    await h.until('orders.dlq holds them', (s) => sum(s.topics['orders.dlq']?.endOffsets) === 5);

    const parked = (await h.app.inject('/api/topics/orders.dlq/messages?limit=50')).json();
    expect(parked).toHaveLength(5);
    for (const record of parked) {
      expect(record.headers[HEADERS.dlqTopic]).toBe('orders');
      expect(Number(record.headers[HEADERS.dlqPartition])).toBeGreaterThanOrEqual(0);
      expect(Number(record.headers[HEADERS.dlqOffset])).toBeGreaterThanOrEqual(0);
      expect(record.headers[HEADERS.dlqReason]).toMatch(/poison pill/);
      expect(record.headers[HEADERS.dlqService]).toBe('billing');
    }

    // A failing dependency: every try fails for a while, then it is fixed and the parked events are redriven.
    await h.post('/api/nodes/billing/actions', { action: 'errors', value: 1 });
    await h.until('more dead-lettered', (s) => (s.topics.orders!.groups.billing!.deadLettered ?? 0) > 20);
    await h.post('/api/nodes/billing/actions', { action: 'revive' });
    await h.post('/api/nodes/shop/rate', { perSecond: 0 });
    await h.until('lag 0', (s) => s.links.c!.lag === 0 && s.topics.orders!.groups.billing!.missing === 0, 20_000);
    const before = await delivery(h, 'orders');
    const failed = before.groups.billing.deadLettered as number;
    expect(before.groups.billing.processed + failed).toBe(before.produced);

    const redrive = await h.post('/api/topics/orders.dlq/redrive');
    expect(redrive.status).toBe(200);
    expect(redrive.body.redriven).toBe(failed);
    // The transient failures are processed now; the poison pills fail again and are parked again.
    await h.until('redriven events finished', (s) => s.topics.orders!.groups.billing!.deadLettered === 5, 20_000);
    const after = await delivery(h, 'orders');
    expect(after.groups.billing).toMatchObject({ deadLettered: 5, lost: 0, missing: 0, duplicates: 0 });
    expect(after.groups.billing.processed).toBe(after.produced - 5);
    // A second Redrive sends only what was parked since the first.
    expect((await h.post('/api/topics/orders.dlq/redrive')).body.redriven).toBe(5);
    console.log(`dead-letter: produced ${after.produced}, dead-lettered then redriven ${failed - 5}, poison 5`);
  });

  it('refuses to redrive a topic that is not a dead-letter topic, naming why', async () => {
    const res = await h.post('/api/topics/orders/redrive');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/"orders" is not a dead-letter topic/);
    expect((await h.post('/api/topics/nope.dlq/redrive')).status).toBe(404);
    const service = await h.post('/api/nodes/billing/actions', { action: 'poison' });
    expect(service.status).toBe(400);
    expect(service.body.error).toMatch(/only sources send a poison pill/);
  });

  it('skip: an event that keeps failing is committed past and counted as lost, not missing', async () => {
    expect((await h.post('/api/reset')).status).toBe(200);
    expect((await h.put(flow('skip'))).status).toBe(200);
    expect((await h.post('/api/run')).status).toBe(200);
    await h.until('billing flowing', (s) => s.nodes.billing!.inRate > 10);
    await h.post('/api/nodes/billing/actions', { action: 'errors', value: 1 });
    await h.until('some lost', (s) => (s.topics.orders?.groups.billing?.lost ?? 0) > 10);
    await h.post('/api/nodes/billing/actions', { action: 'revive' });
    await h.post('/api/nodes/shop/rate', { perSecond: 0 });
    await h.until('lag 0', (s) => s.links.c!.lag === 0 && s.topics.orders!.groups.billing!.missing === 0, 20_000);
    const report = (await delivery(h, 'orders')).groups.billing;
    expect(report.lost).toBeGreaterThan(10);
    expect(report.lostSample.length).toBeGreaterThan(0);
    expect(report.processed + report.lost + report.deadLettered).toBe((await delivery(h, 'orders')).produced);
    expect(h.state().topics['orders.dlq']).toBeUndefined(); // skip makes no dead-letter topic
  });

  it('block: a poison pill stops exactly its partition; the others flow; changing the policy releases it', async () => {
    expect((await h.post('/api/reset')).status).toBe(200);
    expect((await h.put(flow('block'))).status).toBe(200);
    expect((await h.post('/api/run')).status).toBe(200);
    await h.until('billing flowing', (s) => s.nodes.billing!.inRate > 10);
    await h.post('/api/nodes/shop/actions', { action: 'poison' });
    const blocked = await h.until(
      'a partition blocked',
      (s) => (s.topics.orders?.groups.billing?.blocked ?? []).length > 0,
    );
    const [{ partition, reason }] = blocked.topics.orders!.groups.billing!.blocked!;
    expect(reason).toMatch(/poison pill/);
    // Let the commits of the events before the pill land (committed every 500 ms, read every 500 ms).
    await new Promise((r) => setTimeout(r, 1_500));
    const at = h.state().topics.orders!.groups.billing!.committed;
    await new Promise((r) => setTimeout(r, 3_000));
    const later = h.state().topics.orders!.groups.billing!;
    expect(later.blocked).toHaveLength(1);
    for (let p = 0; p < 3; p++) {
      if (p === partition) expect(later.committed[p]).toBe(at[p]);
      else expect(later.committed[p]!).toBeGreaterThan(at[p]!);
    }
    const stuck = later.committed[partition]!;
    expect(h.state().topics.orders!.endOffsets[partition]! - stuck).toBeGreaterThan(5);

    // Dead-letter the pill instead: the partition catches up, nothing lost.
    expect((await h.put(flow('dead-letter'))).status).toBe(200);
    await h.until('unblocked', (s) => (s.topics.orders!.groups.billing!.blocked ?? []).length === 0, 10_000);
    await h.post('/api/nodes/shop/rate', { perSecond: 0 });
    await h.until('lag 0', (s) => s.links.c!.lag === 0 && s.topics.orders!.groups.billing!.missing === 0, 20_000);
    expect(h.state().topics.orders!.groups.billing).toMatchObject({ deadLettered: 1, lost: 0, missing: 0 });
    console.log(`block: partition ${partition} held at offset ${stuck} while the others flowed`);
  });
});
