import type { TopologyDocument } from '@lab/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabHarness, startLab } from './lab-harness.js';

// client -> A -> B -> C over REST. B's call to C times out after 800 ms.
const chain = (circuitBreaker: boolean): TopologyDocument => ({
  version: 1,
  name: 'rest chain',
  nodes: [
    { id: 'client', kind: 'source', ratePerSec: 20 },
    { id: 'A', kind: 'service', processingMs: 5 },
    { id: 'B', kind: 'service', processingMs: 5 },
    { id: 'C', kind: 'service', processingMs: 5 },
  ],
  links: [
    { id: 'toA', kind: 'call', from: 'client', to: 'A', timeoutMs: 5_000 },
    { id: 'toB', kind: 'call', from: 'A', to: 'B', timeoutMs: 5_000 },
    { id: 'toC', kind: 'call', from: 'B', to: 'C', timeoutMs: 800, circuitBreaker },
  ],
});

describe('a REST chain A → B → C', () => {
  let h: LabHarness;
  beforeAll(async () => {
    h = await startLab();
  });
  afterAll(() => h.close());

  it('cascades: C crashed, A fails fast; C hung, A waits out B’s timeout; a circuit breaker makes A fail fast again', async () => {
    expect((await h.put(chain(false))).status).toBe(200);
    expect((await h.post('/api/run')).status).toBe(200);
    await h.until('A handling requests without errors', (s) => s.nodes.A!.inRate > 10 && s.nodes.A!.errorRate === 0);

    // Crash C: every request through the chain fails, and fails at once (connection refused, not a timeout).
    expect((await h.post('/api/nodes/C/actions', { action: 'crash' })).status).toBe(200);
    let s = await h.until(
      'A and B failing everything',
      (x) => x.nodes.A!.errorRate === 1 && x.nodes.B!.errorRate === 1 && x.nodes.A!.inRate > 10,
      15_000,
    );
    expect(s.nodes.C!.status).toBe('down');
    expect(s.nodes.A!.p99Ms).toBeLessThan(800);

    // Hang C: B waits its full timeout on every call, and A's latency rises to it.
    expect((await h.post('/api/nodes/C/actions', { action: 'revive' })).status).toBe(200);
    await h.until('A healthy again', (x) => x.nodes.A!.errorRate === 0 && x.nodes.A!.inRate > 10, 15_000);
    expect((await h.post('/api/nodes/C/actions', { action: 'hang' })).status).toBe(200);
    s = await h.until(
      'A waiting out B’s timeout',
      (x) => x.nodes.A!.errorRate === 1 && x.nodes.A!.p50Ms >= 750,
      20_000,
    );
    expect(s.nodes.C!.status).toBe('hung');
    expect(s.links.toC!.timeoutRate).toBeGreaterThan(0.9);

    // The same hang with a circuit breaker on B → C: after a few timeouts it opens and A fails fast.
    expect((await h.put(chain(true))).status).toBe(200);
    s = await h.until(
      'the circuit open and A failing fast',
      (x) => x.links.toC!.circuit === 'open' && x.nodes.A!.p50Ms < 100 && x.nodes.A!.errorRate === 1,
      30_000,
    );
    expect(s.nodes.C!.status).toBe('hung');
    const log = h.lab.log.recent().map((e) => e.message);
    expect(log.some((m) => /circuit to C open/.test(m))).toBe(true);
  });
});
