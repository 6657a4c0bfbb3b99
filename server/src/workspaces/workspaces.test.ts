import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerMessage, TopologyDocument } from '@lab/model';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FakeKafka } from '../../test/fake-kafka.js';
import { buildApp } from '../app.js';
import { createLab, type Lab } from '../lab.js';
import { Workspaces } from './workspaces.js';

let app: FastifyInstance | undefined;
let lab: Lab | undefined;
afterEach(async () => {
  await app?.close();
  await lab?.close();
  app = undefined;
  lab = undefined;
});

/** A server of workspaces whose Kafka is never reached: these tests are about who reaches what over HTTP. */
async function serve(options: { max?: number; maxInstances?: number } = {}) {
  const kafka = new FakeKafka();
  const dataDir = mkdtempSync(join(tmpdir(), 'workspaces-test-'));
  const base = { brokers: ['127.0.0.1:1'], kafka };
  const defaultLab = createLab({ ...base, topicPrefix: 'test.', dataDir });
  lab = defaultLab;
  const workspaces = new Workspaces({
    defaultLab,
    createLab: (namespace) => createLab({ ...base, ...namespace }),
    topicPrefix: 'test.',
    dataDir,
    max: options.max ?? 3,
    maxInstances: options.maxInstances,
  });
  app = await buildApp({ lab: defaultLab, workspaces, webRoot: '/nonexistent', frameIntervalMs: 20 });
  return { app, workspaces, dataDir };
}

const doc = (name: string): TopologyDocument => ({
  version: 1,
  name,
  nodes: [
    { id: 'shop', kind: 'source', ratePerSec: 5 },
    { id: 'orders', kind: 'topic', partitions: 1 },
  ],
  links: [{ id: 'l', kind: 'produce', from: 'shop', to: 'orders' }],
});

describe('workspaces over HTTP', () => {
  it('keeps each workspace its own topology and folder, the default one where it always was', async () => {
    const { app, dataDir } = await serve();
    expect((await app.inject({ method: 'PUT', url: '/w/ann/api/topology', payload: doc('ann') })).statusCode).toBe(200);
    expect((await app.inject({ method: 'PUT', url: '/w/bob/api/topology', payload: doc('bob') })).statusCode).toBe(200);
    expect((await app.inject({ url: '/w/ann/api/topology' })).json().name).toBe('ann');
    expect((await app.inject({ url: '/w/bob/api/topology' })).json().name).toBe('bob');
    expect((await app.inject({ url: '/api/topology' })).json().name).not.toMatch(/ann|bob/);
    expect(existsSync(join(dataDir, 'workspaces', 'ann', 'topology.json'))).toBe(true);
    expect(existsSync(join(dataDir, 'workspaces', 'bob', 'topology.json'))).toBe(true);
    // Each workspace's snapshot and lab list are its own.
    expect(Object.keys((await app.inject({ url: '/w/ann/api/state' })).json().nodes).sort()).toEqual([
      'orders',
      'shop',
    ]);
    expect((await app.inject({ url: '/w/ann/api/labs' })).statusCode).toBe(200);
  });

  it("sends each workspace's live feed only its own state", async () => {
    const { app } = await serve();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    await app.inject({ method: 'PUT', url: '/w/ann/api/topology', payload: doc('ann') });
    const socket = new WebSocket(`ws://127.0.0.1:${port}/w/ann/live`);
    const messages: ServerMessage[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.once('open', resolve));
    const deadline = Date.now() + 5_000;
    while (!messages.some((m) => m.type === 'snapshot') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    const snapshot = messages.find((m) => m.type === 'snapshot');
    expect(snapshot && 'snapshot' in snapshot && Object.keys(snapshot.snapshot.nodes).sort()).toEqual([
      'orders',
      'shop',
    ]);
    socket.close();
  });

  it('names what is wrong with a workspace name, and the limit when the server is full', async () => {
    const { app } = await serve({ max: 2 });
    const bad = await app.inject({ url: '/w/Ann/api/topology' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({
      error:
        '"Ann" is not a workspace name: use 1 to 32 lowercase letters, digits and dashes, starting with a letter or digit',
      path: 'workspace',
    });
    expect((await app.inject({ url: '/w/__proto__/api/state' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/w/a/api/state' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/w/b/api/state' })).statusCode).toBe(200);
    const full = await app.inject({ url: '/w/c/api/state' });
    expect(full.statusCode).toBe(503);
    expect(full.json().error).toMatch(/This server hosts 2 workspaces, its limit \(MAX_WORKSPACES\)/);
    // Unknown routes of a workspace are API 404s, its pages are the app.
    expect((await app.inject({ url: '/w/a/api/nope' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/w/a/' })).headers['content-type']).toMatch(/text\/plain/);
  });

  it('serves the default lab alone when named workspaces are off', async () => {
    const { app } = await serve({ max: 0 });
    expect((await app.inject({ url: '/api/state' })).statusCode).toBe(200);
    const off = await app.inject({ url: '/w/ann/api/state' });
    expect(off.statusCode).toBe(404);
    expect(off.json().path).toBe('url');
  });

  it("refuses a run that would take more than the server's instances, naming the limit", async () => {
    const { app, workspaces } = await serve({ maxInstances: 3 });
    const big = { ...doc('big'), nodes: [...doc('big').nodes, { id: 'svc', kind: 'service' as const, instances: 4 }] };
    await app.inject({ method: 'PUT', url: '/w/ann/api/topology', payload: big });
    const run = await app.inject({ method: 'POST', url: '/w/ann/api/run', payload: {} });
    expect(run.statusCode).toBe(503);
    expect(run.json().error).toBe(
      'This run needs 5 instances, but this server runs at most 3 for all its workspaces and the others use 0: try again when some stop, or run fewer instances',
    );
    expect(workspaces.roomFor(workspaces.get('ann').lab)).toEqual({ free: 3, limit: 3 });
  });
});
