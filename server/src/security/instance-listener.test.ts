import { request } from 'node:http';
import type { Service, Topology } from '@lab/model';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '../kafka/client.js';
import { specFor } from '../runtime/specs.js';
import { Caller } from '../runtime/worker/caller.js';
import { ServiceInstance } from '../runtime/worker/service.js';
import { StatsCollector } from '../runtime/worker/stats.js';

// An instance's HTTP listener (127.0.0.1, a random port) is reachable by every page and process on the
// machine. It answers only the lab's own callers: the run's secret in a header, its own Host, no Origin (a
// browser). And nothing a request carries can grow its memory: origins that are not sources are "unknown".

const SECRET = 'a-per-run-secret-of-enough-length';
const billing: Service = {
  id: 'billing',
  kind: 'service',
  label: 'billing',
  position: { x: 0, y: 0 },
  instances: 1,
  processingMs: 0,
  jitterMs: 0,
  errorRate: 0,
  concurrency: 8,
  delivery: 'at-least-once',
  behavior: { kind: 'forward' },
};
const topology: Topology = {
  version: 1,
  name: 't',
  nodes: [
    billing,
    {
      id: 'shop',
      kind: 'source',
      label: 'shop',
      position: { x: 0, y: 0 },
      ratePerSec: 1,
      pattern: 'constant',
      eventType: 'e',
      payload: {},
    },
  ],
  links: [],
};

let stats: StatsCollector;
let service: ServiceInstance;
let url: string;
beforeAll(async () => {
  stats = new StatsCollector();
  const spec = specFor({ prefix: 'p.', brokers: [], secret: SECRET }, topology, billing, 'billing-1');
  service = new ServiceInstance(
    spec,
    stats,
    () => {},
    () => createKafka(['127.0.0.1:1'], 'billing-1'),
  );
  url = await service.start();
});
afterAll(() => service.stop());

function post(headers: Record<string, string>, path = '/handle'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end('{"payload":{}}');
  });
}

describe("an instance's HTTP listener", () => {
  it('answers the lab caller (the run secret, its own host)', async () => {
    expect(await post({ 'x-lab-secret': SECRET })).toBe(200);
    const caller = new Caller(stats, () => {}, SECRET);
    caller.setEndpoints({ billing: [url] });
    const event = { id: 'e', type: 't', payload: {}, key: null, traceId: 't', originTime: 0, origin: 'shop', hops: 0 };
    const link = {
      id: 'c',
      kind: 'call' as const,
      from: 'shop',
      to: 'billing',
      timeoutMs: 1000,
      retries: 0,
      circuitBreaker: false,
      fallback: false,
    };
    expect(await caller.call(link, event)).toBe(true);
    caller.close();
  });

  it('refuses any request without the secret, with a wrong one, a foreign Host or an Origin', async () => {
    const port = new URL(url).port;
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            'x-lab-secret': fc.oneof(
              fc.string({ maxLength: 40 }),
              fc.constant(SECRET.slice(0, -1)),
              fc.constant(`${SECRET}x`),
            ),
            host: fc.constantFrom(
              `localhost:${port}`,
              `evil.example:${port}`,
              `127.0.0.1:${Number(port) + 1}`,
              '127.0.0.1',
            ),
            origin: fc.constantFrom('http://127.0.0.1:3000', 'http://evil.example', 'null'),
          },
          { requiredKeys: [] },
        ),
        async (headers) => {
          const good = headers['x-lab-secret'] === SECRET && headers.host === undefined && headers.origin === undefined;
          fc.pre(!good);
          expect(await post(headers)).toBe(403);
        },
      ),
      { numRuns: 150 },
    );
    expect(await post({ 'x-lab-secret': SECRET, origin: 'http://127.0.0.1:3000' })).toBe(403);
    expect(await post({ 'x-lab-secret': SECRET, host: `127.0.0.1:${port}` })).toBe(200);
  });

  it('keeps flows only for the topology sources: 2000 made-up origins add nothing', async () => {
    stats.take();
    for (let i = 0; i < 2000; i++) {
      await post({ 'x-lab-secret': SECRET, 'lab-origin': `made-up-${i}`, 'lab-origin-time': String(Date.now()) });
    }
    await post({ 'x-lab-secret': SECRET, 'lab-origin': 'shop' });
    expect(Object.keys(stats.take().flows).sort()).toEqual(['shop', 'unknown']);
  });
});
