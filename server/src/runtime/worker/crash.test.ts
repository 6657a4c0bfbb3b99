import { request } from 'node:http';
import { connect } from 'node:net';
import { normalizeTopology, type Service } from '@lab/model';
import { describe, expect, it } from 'vitest';
import { createKafka } from '../../kafka/client.js';
import { SECRET_HEADER } from '../../security/instance-access.js';
import { specFor } from '../specs.js';
import { ServiceInstance } from './service.js';
import { StatsCollector } from './stats.js';

// A crash on a shared host thread must look, from outside, like the process died: the listener's connections
// reset, nothing listens any more, inputs in hand are dropped unanswered. (Kafka's side: lean-instances.test.ts.)

const SECRET = 'a-per-run-secret-of-enough-length';

async function hungService() {
  const topology = normalizeTopology({
    version: 1,
    name: 't',
    nodes: [{ id: 'billing', kind: 'service', processingMs: 0 }],
    links: [],
  });
  const node = topology.nodes[0] as Service;
  const spec = specFor({ prefix: 'p.', brokers: [], secret: SECRET }, topology, node, 'billing-1');
  const service = new ServiceInstance(
    spec,
    new StatsCollector(),
    () => {},
    () => createKafka(['127.0.0.1:1'], 'x'),
  );
  const url = new URL(await service.start());
  service.setFaults({ hang: true, slowMs: 0, errorRate: undefined });
  return { service, port: Number(url.port) };
}

/** POSTs one input; resolves with the status, or the error code if the connection failed. */
function handle(port: number): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/handle',
        method: 'POST',
        headers: { [SECRET_HEADER]: SECRET, 'content-type': 'application/json', host: `127.0.0.1:${port}` },
      },
      (res) => resolve(res.statusCode ?? 0),
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    req.end('{}');
  });
}

describe('a crashed service instance', () => {
  it('resets the connections in hand, stops listening, and drops its hung inputs', async () => {
    const { service, port } = await hungService();
    const inHand = handle(port); // held by the hang
    await new Promise((r) => setTimeout(r, 100));
    const wound = service.crash();
    expect(await inHand).toBe('ECONNRESET');
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('connect', () => resolve('connected'));
      socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    expect(refused).toBe('ECONNREFUSED');
    await wound; // its code wound down: the hung input was turned away, nothing waits any more
  });

  it('ends a slowed input at once instead of after its delay', async () => {
    const { service, port } = await hungService();
    service.setFaults({ hang: false, slowMs: 60_000, errorRate: undefined });
    const inHand = handle(port);
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    await service.crash();
    expect(await inHand).toBe('ECONNRESET');
    expect(performance.now() - t0).toBeLessThan(1_000);
  });
});
