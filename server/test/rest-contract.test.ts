import { HEADERS, type TopologyDocument } from '@lab/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabHarness, startLab } from './lab-harness.js';

const record = (fields: unknown[]) => ({ type: 'record', name: 'Customer', fields });
const V1 = record([
  { name: 'orderId', type: 'string' },
  { name: 'address', type: 'string' },
]);
/** A breaking change: the address becomes a structured record. */
const V2 = record([
  { name: 'orderId', type: 'string' },
  {
    name: 'address',
    type: {
      type: 'record',
      name: 'Address',
      fields: [
        { name: 'street', type: 'string' },
        { name: 'city', type: 'string' },
      ],
    },
  },
]);

/**
 * orders → Billing and Shipping, each calling Customers over REST. `customers` = the API versions Customers has
 * shipped (it answers with the last); `billing` / `shipping` = the version each caller was built against.
 */
const shop = (customers: object[], billing: number, shipping: number): TopologyDocument => ({
  version: 1,
  name: 'REST contract',
  nodes: [
    { id: 'checkout', kind: 'source', ratePerSec: 20, payload: { orderId: { kind: 'id' } }, keyField: 'orderId' },
    { id: 'orders', kind: 'topic', partitions: 3 },
    { id: 'billing', kind: 'service', processingMs: 1 },
    { id: 'shipping', kind: 'service', processingMs: 1 },
    {
      id: 'customers',
      kind: 'service',
      processingMs: 1,
      api: { versions: customers.map((response, i) => ({ version: i + 1, response })) },
    },
  ],
  links: [
    { id: 'p', kind: 'produce', from: 'checkout', to: 'orders' },
    { id: 'billing-in', kind: 'consume', from: 'orders', to: 'billing', attempts: 2, backoffMs: 10 },
    { id: 'shipping-in', kind: 'consume', from: 'orders', to: 'shipping', attempts: 2, backoffMs: 10 },
    { id: 'billing-customers', kind: 'call', from: 'billing', to: 'customers', apiVersion: billing },
    { id: 'shipping-customers', kind: 'call', from: 'shipping', to: 'customers', apiVersion: shipping },
  ],
});

const BREAKS =
  /^"customers" answered with API version 2, which breaks version 1 this caller was built against: "address" is \{"street":.*, not a string$/;

describe('a REST callee ships a breaking version of its API', () => {
  let h: LabHarness;
  beforeAll(async () => {
    h = await startLab();
  });
  afterAll(() => h.close());

  it('every caller fails with the contract named, dead-letters, and recovers only once it is updated', async () => {
    expect((await h.put(shop([V1], 1, 1))).status).toBe(200);
    expect((await h.post('/api/run')).status).toBe(200);
    await h.until(
      'both callers flowing on version 1',
      (s) =>
        s.nodes.billing!.inRate > 10 &&
        s.nodes.shipping!.inRate > 10 &&
        s.nodes.billing!.errorRate === 0 &&
        s.links['billing-customers']!.rate > 10,
    );
    expect(h.state().links['billing-customers']!.servedVersion).toBe(1);

    // The deploy: Customers ships version 2 while running. Nothing refuses it; both callers break at once.
    expect((await h.put(shop([V1, V2], 1, 1))).status).toBe(200);
    let s = await h.until(
      'both callers failing, Customers healthy',
      (x) =>
        x.nodes.billing!.errorRate === 1 &&
        x.nodes.shipping!.errorRate === 1 &&
        (x.topics.orders?.groups.billing?.deadLettered ?? 0) > 5 &&
        (x.topics.orders?.groups.shipping?.deadLettered ?? 0) > 5,
      20_000,
    );
    expect(s.nodes.customers!.errorRate).toBe(0); // the callee is fine: its callers are not
    expect(s.links['billing-customers']!.errorRate).toBe(1);
    expect(s.links['billing-customers']!.servedVersion).toBe(2);
    expect(s.links['billing-customers']!.reason).toMatch(BREAKS);
    expect(s.links['shipping-customers']!.reason).toMatch(BREAKS);
    expect(s.links['billing-in']!.reason).toMatch(
      /^the REST call to "customers" failed: "customers" answered with API version 2/,
    );
    const parked = (await h.app.inject('/api/topics/orders.dlq/messages?limit=20')).json() as {
      headers: Record<string, string>;
    }[];
    expect(parked.length).toBeGreaterThan(0);
    expect(parked[0]!.headers[HEADERS.dlqReason]).toMatch(
      /^the REST call to "customers" failed: .*which breaks version 1/,
    );

    // Billing is updated to version 2: it recovers; Shipping, still on version 1, keeps failing.
    expect((await h.put(shop([V1, V2], 2, 1))).status).toBe(200);
    s = await h.until(
      'billing recovered, shipping still failing',
      (x) => x.nodes.billing!.errorRate === 0 && x.nodes.billing!.inRate > 10 && x.nodes.shipping!.errorRate === 1,
      20_000,
    );
    expect(s.links['billing-customers']!.reason).toBeUndefined();
    expect(s.links['shipping-customers']!.reason).toMatch(BREAKS);

    // Shipping updated too: everyone flows again, and the parked orders redrive to processed.
    expect((await h.put(shop([V1, V2], 2, 2))).status).toBe(200);
    await h.until(
      'shipping recovered',
      (x) => x.nodes.shipping!.errorRate === 0 && x.nodes.shipping!.inRate > 10,
      20_000,
    );
    const redrive = await h.post('/api/topics/orders.dlq/redrive');
    expect(redrive.status).toBe(200);
    s = await h.until(
      'no order left dead-lettered',
      (x) =>
        x.topics.orders?.groups.billing?.deadLettered === 0 && x.topics.orders?.groups.shipping?.deadLettered === 0,
      20_000,
    );
    console.log(
      `REST contract: redriven ${redrive.body.redriven}; processed billing ${s.topics.orders!.groups.billing!.processed}, shipping ${s.topics.orders!.groups.shipping!.processed}`,
    );
  });

  it('a caller built against a version the callee never shipped is refused on save, naming its versions', async () => {
    const res = await h.put(shop([V1], 1, 3));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('links.4.apiVersion: "customers" has no API version 3 (its versions: 1)');
  });
});
