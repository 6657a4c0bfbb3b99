import { LIMITS, type TopologyDocument } from '@lab/model';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../lab.js';
import { offlineApp } from '../offline-app.js';

// Every limit holds per node; these hold for the whole lab, so many nodes within their own limits cannot add
// up to more work than one shared server takes. Each is a 4xx naming the total and the limit, nothing changes.

let app: FastifyInstance;
let lab: Lab;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, lab, close } = await offlineApp('quota.'));
});
afterAll(() => close());

const services = (counts: number[]) =>
  counts.map((instances, i) => ({ id: `s${i}`, kind: 'service' as const, instances }));
const sources = (rates: number[]) =>
  rates.map((ratePerSec, i) => ({ id: `src${i}`, kind: 'source' as const, ratePerSec }));
const doc = (nodes: TopologyDocument['nodes']): TopologyDocument => ({ version: 1, name: 'q', nodes, links: [] });

async function put(body: unknown) {
  const before = JSON.stringify(lab.runtime.current);
  const res = await app.inject({
    method: 'PUT',
    url: '/api/topology',
    payload: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  if (res.statusCode !== 200) expect(JSON.stringify(lab.runtime.current)).toBe(before);
  return res;
}

describe('quotas for the whole lab', () => {
  it('total instances (each service instance and each source is one instance on the host threads)', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Around the limit: from well below it to well above it.
        fc.array(fc.integer({ min: 4, max: LIMITS.instances.max }), { minLength: 25, maxLength: 50 }),
        fc.nat(10),
        async (counts, sourceCount) => {
          const total = counts.reduce((a, b) => a + b, 0) + sourceCount;
          const res = await put(doc([...services(counts), ...sources(Array(sourceCount).fill(1))]));
          if (total <= LIMITS.totalInstances) expect(res.statusCode).toBe(200);
          else {
            expect(res.statusCode).toBe(400);
            expect(res.json()).toMatchObject({
              path: 'nodes',
              error: `nodes: ${total} instances would run (service instances plus one per source); the lab runs at most ${LIMITS.totalInstances} at once`,
            });
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('total instances: exactly the limit runs, one more is refused', async () => {
    const full = [...Array(37).fill(LIMITS.instances.max), 4];
    expect(full.reduce((x, y) => x + y, 0)).toBe(LIMITS.totalInstances);
    expect((await put(doc(services(full)))).statusCode).toBe(200);
    expect((await put(doc([...services(full), ...sources([1])]))).json()).toMatchObject({
      error: `nodes: ${LIMITS.totalInstances + 1} instances would run (service instances plus one per source); the lab runs at most ${LIMITS.totalInstances} at once`,
    });
  });

  it('total source rate, in the document and changed live', async () => {
    const res = await put(doc(sources([5000, 5000, 1])));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe(
      `nodes: the sources make 10001 events per second together; the lab's sources make at most ${LIMITS.totalRatePerSec} together`,
    );
    expect((await put(doc(sources([5000, 4000, 0])))).statusCode).toBe(200);
    const rate = (id: string, perSecond: number) =>
      app.inject({ method: 'POST', url: `/api/nodes/${id}/rate`, payload: { perSecond } });
    expect((await rate('src1', 5000)).statusCode).toBe(200);
    const over = await rate('src2', 0.5);
    expect(over.statusCode).toBe(400);
    expect(over.json()).toEqual({
      path: 'perSecond',
      error: `perSecond: 0.5 ev/s would make the sources' total 10000.5 ev/s; the lab's sources make at most ${LIMITS.totalRatePerSec} together`,
    });
  });

  it('document size: a body over the limit is a 413 naming the limit', async () => {
    const big = { ...doc([]), name: 'x', padding: 'y'.repeat(LIMITS.documentBytes) };
    const res = await put(big);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({
      path: '',
      error: `The topology document is larger than ${LIMITS.documentBytes / 1024} KB, the lab's limit`,
    });
  });
});
