import type { TopologyDocument } from '@lab/model';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinIds } from '../../test/builtin-ids.js';
import { type LabHarness, startLab } from './lab-harness.js';

// A topology whose every id is the name of a built-in JavaScript property runs on the real broker like any
// other: the publish loop, the lag read from Kafka, the workers' stats and the delivery ledger all keep them
// as plain keys. (The unit property test, server/src/security/builtin-ids.test.ts, covers every name.)
describe('a running topology whose ids are built-in property names', () => {
  let h: LabHarness;
  beforeAll(async () => {
    h = await startLab();
  });
  afterAll(() => h.close());

  it('runs, publishes, measures lag and delivery, and the server stays up', async () => {
    // Always the worst names, plus a random draw of the others (a different one each run).
    const [drawn] = fc.sample(fc.shuffledSubarray(builtinIds(), { minLength: 6, maxLength: 6 }), 1);
    const others = drawn!.filter((n) => !['__proto__', 'constructor', 'toString', 'valueOf'].includes(n));
    const [topic2, service2, link1, link2] = others;
    const doc: TopologyDocument = {
      version: 1,
      name: 'built-in names',
      nodes: [
        { id: 'constructor', kind: 'source', ratePerSec: 40, payload: JSON.parse('{"__proto__":{"kind":"id"}}') },
        { id: '__proto__', kind: 'topic', partitions: 2, schema: { type: 'object' } },
        { id: topic2!, kind: 'topic', partitions: 1 },
        { id: 'toString', kind: 'service', processingMs: 1 },
        { id: service2!, kind: 'service', processingMs: 1 },
      ],
      links: [
        { id: 'valueOf', kind: 'produce', from: 'constructor', to: '__proto__' },
        { id: link1!, kind: 'consume', from: '__proto__', to: 'toString' },
        { id: 'hasOwnProperty', kind: 'produce', from: 'toString', to: topic2! },
        { id: link2!, kind: 'consume', from: topic2!, to: service2! },
      ],
    };
    expect((await h.put(doc)).status).toBe(200);
    expect((await h.post('/api/run')).status).toBe(200);
    await h.until(
      'events flowing through every built-in-named node, lag read from Kafka',
      (s) =>
        Object.hasOwn(s.nodes, service2!) &&
        s.nodes[service2!]!.processed > 40 &&
        typeof s.links[link2!]?.lag === 'number' &&
        Object.hasOwn(s.flows, 'constructor'),
      60_000,
    );
    const health = await h.app.inject('/api/health');
    expect(health.statusCode).toBe(200);
    expect(h.lab.runtime.publishFailures).toBe(0);
    await h.post('/api/nodes/constructor/rate', { perSecond: 0 });
    await h.until('lag back to 0', (s) => s.links[link1!]?.lag === 0 && s.links[link2!]?.lag === 0, 30_000);
    const delivery = (await h.app.inject('/api/topics/__proto__/delivery')).json();
    expect(delivery.produced).toBeGreaterThan(40);
    expect(Object.keys(delivery.groups)).toEqual(['toString']);
    expect(delivery.groups.toString).toMatchObject({ missing: 0, tracked: true });
    expect((await h.post('/api/stop')).status).toBe(200);
  });
});
