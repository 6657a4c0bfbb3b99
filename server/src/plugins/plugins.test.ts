import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeKafka } from '../../test/fake-kafka.js';
import { buildApp } from '../app.js';
import { KafkaClients } from '../kafka/clients.js';
import { createLab } from '../lab.js';
import { Workspaces } from '../workspaces/workspaces.js';

const closing: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close().catch(() => {});
});

/** A server as main.ts wires it, over a Kafka that is never reached, with every close recorded in order. */
async function server() {
  const order: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'plugins-test-'));
  const clients = new KafkaClients(['127.0.0.1:1']);
  const closeClients = clients.close.bind(clients);
  clients.close = async () => {
    order.push(`clients (${clients.size} still open)`);
    await closeClients();
  };
  const lab = createLab({ brokers: ['127.0.0.1:1'], topicPrefix: 'test.', dataDir, kafka: new FakeKafka(), clients });
  const closeLab = lab.close;
  lab.close = async () => {
    order.push('default lab');
    await closeLab();
  };
  const workspaces = new Workspaces({ defaultLab: lab, ownsDefaultLab: true, topicPrefix: 'test.', dataDir });
  const monitor = { stop: () => void order.push('monitor') };
  const app = await buildApp({ lab, workspaces, kafka: { clients, monitor }, webRoot: '/nonexistent' });
  closing.push(() => app.close(), closeLab);
  return { app, lab, clients, workspaces, order };
}

describe('outside clients as plugins', () => {
  it('decorates the server with its workspaces and Kafka clients', async () => {
    const { app, clients, workspaces } = await server();
    expect(app.workspaces).toBe(workspaces);
    expect(app.kafka.clients).toBe(clients);
    // The default lab's admin and observer were made by the server's clients.
    expect(clients.size).toBe(1);
  });

  it("closes in Fastify's order: the workspaces' labs first, then the monitor and the Kafka clients", async () => {
    const { app, clients, order } = await server();
    // A workspace's clients that nothing closed (a lab that failed half-way): the server closes them.
    clients.forWorkspace('test.w.left-open.');
    expect(clients.size).toBe(2);
    await app.close();
    expect(order).toEqual(['default lab', 'monitor', 'clients (1 still open)']);
    expect(clients.size).toBe(0);
  });

  it("a lab's clients close with the lab (an evicted workspace's), once", async () => {
    const { lab, clients } = await server();
    await lab.close();
    expect(clients.size).toBe(0);
  });

  it('without ownsDefaultLab the default lab stays its maker’s to close', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plugins-test-'));
    const clients = new KafkaClients(['127.0.0.1:1']);
    const lab = createLab({ brokers: ['127.0.0.1:1'], topicPrefix: 'test.', dataDir, kafka: new FakeKafka(), clients });
    closing.push(lab.close);
    const app = await buildApp({ lab, webRoot: '/nonexistent' });
    await app.close();
    expect(clients.size).toBe(1);
  });
});
