import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabHarness, startLab } from './lab-harness.js';

// The instance quota also holds for commands on a running topology: scaling cannot run more workers than the
// lab allows (3 here, 40 by default), and a refused scale changes nothing.
describe('the instance quota while running', () => {
  let h: LabHarness;
  beforeAll(async () => {
    h = await startLab({ maxInstances: 3 });
  });
  afterAll(() => h.close());

  it('refuses a scale past it with 409 naming the total, and keeps the instances as they were', async () => {
    const put = await h.put({
      version: 1,
      name: 'quota',
      nodes: [
        { id: 'shop', kind: 'source', ratePerSec: 5 },
        { id: 'orders', kind: 'topic', partitions: 2 },
        { id: 'billing', kind: 'service', instances: 2 },
      ],
      links: [
        { id: 'p', kind: 'produce', from: 'shop', to: 'orders' },
        { id: 'c', kind: 'consume', from: 'orders', to: 'billing' },
      ],
    });
    expect(put.status).toBe(200);
    expect((await h.post('/api/run')).status).toBe(200);
    await h.until(
      'two billing instances running',
      (s) => s.nodes.billing?.instances.filter((i) => i.status === 'running').length === 2,
    );
    const over = await h.post('/api/nodes/billing/actions', { action: 'scale', value: 3 });
    expect(over).toEqual({
      status: 409,
      body: {
        path: 'value',
        error:
          'value: scaling billing to 3: 4 instances would run (service instances plus one per source); the lab runs at most 3 at once',
      },
    });
    expect(h.state().nodes.billing?.instances).toHaveLength(2);
    expect((await h.post('/api/nodes/billing/actions', { action: 'scale', value: 1 })).status).toBe(200);
    expect(h.state().nodes.billing?.instances).toHaveLength(1);
  });
});
