import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Snapshot } from '@lab/model';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { LabAdmin } from '../src/kafka/admin.js';
import { createKafka } from '../src/kafka/client.js';
import { createLab, type Lab } from '../src/lab.js';
import { workspacePrefix } from '../src/workspaces/names.js';
import { Workspaces } from '../src/workspaces/workspaces.js';
import { onSharedBroker, SHOP_TO_BILLING, sharedBrokers } from './lab-harness.js';
import { waitFor } from './server-process.js';

/**
 * Two attendees with the same topology ids on one server and one broker: what one does (a crash, a reset, a
 * hostile document) never reaches the other's rates, topics or groups; an idle workspace is evicted with its
 * topics and groups deleted, and comes back with its saved topology.
 */
const IDLE_MS = 6_000;
const prefix = `ws${randomUUID().slice(0, 6)}.`;

let app: FastifyInstance;
let defaultLab: Lab;
let workspaces: Workspaces;
let admin: LabAdmin;
const evicted: string[] = [];

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'workspaces-it-'));
  const shared = onSharedBroker();
  defaultLab = createLab({ ...shared, topicPrefix: prefix, dataDir });
  workspaces = new Workspaces({
    defaultLab,
    createLab: (namespace) => createLab({ ...shared, ...namespace }),
    topicPrefix: prefix,
    dataDir,
    max: 5,
    idleMs: IDLE_MS,
    onEvicted: (name) => evicted.push(name),
  });
  app = await buildApp({ lab: defaultLab, workspaces, webRoot: '/nonexistent' });
  admin = new LabAdmin(createKafka(sharedBrokers(), 'workspaces-test'));
});
afterAll(async () => {
  for (const name of ['ann', 'bob', 'cid'])
    await app.inject({ method: 'POST', url: `/w/${name}/api/reset`, payload: {} });
  await app.close();
  await defaultLab.close();
  await admin.close();
});

const call = async (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown) => {
  const res = await app.inject({ method, url, payload: method === 'GET' ? undefined : ((payload ?? {}) as object) });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
};
/** Over HTTP, as the attendee's page would: it also keeps the workspace in use. */
const state = async (name: string) => (await call('GET', `/w/${name}/api/state`)).body as unknown as Snapshot;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const billingRate = async (name: string, seconds: number) => {
  const before = (await state(name)).nodes.billing?.processed ?? 0;
  await sleep(seconds * 1000);
  return (((await state(name)).nodes.billing?.processed ?? 0) - before) / seconds;
};

describe('workspaces on the real broker', () => {
  it('run the same topology ids side by side, and one attendee cannot reach the other', async () => {
    for (const name of ['ann', 'bob']) {
      expect((await call('PUT', `/w/${name}/api/topology`, SHOP_TO_BILLING)).status).toBe(200);
      expect((await call('POST', `/w/${name}/api/run`)).status).toBe(200);
    }
    for (const name of ['ann', 'bob'])
      await waitFor(async () => ((await state(name)).nodes.billing?.inRate ?? 0) > 20, 60_000, `${name} flowing`);
    const annPrefix = workspacePrefix(prefix, 'ann');
    const bobPrefix = workspacePrefix(prefix, 'bob');
    const bobBefore = await admin.namespace(bobPrefix);
    expect(bobBefore.topics).toContain(`${bobPrefix}orders`);
    expect(bobBefore.groups).toContain(`${bobPrefix}billing`);
    expect((await admin.namespace(annPrefix)).topics).toContain(`${annPrefix}orders`);
    // The default workspace's namespace holds neither.
    expect((await admin.namespace(prefix)).topics).toEqual([]);

    const steady = await billingRate('bob', 4);

    // A crash in ann: ann's billing is down, bob's flows at the same rate.
    expect((await call('POST', '/w/ann/api/nodes/billing/actions', { action: 'crash' })).status).toBe(200);
    const duringCrash = await billingRate('bob', 4);
    expect((await state('ann')).nodes.billing?.status).toBe('down');
    expect((await state('bob')).nodes.billing?.status).toBe('running');

    // A hostile document in ann is refused there; bob's topology is not touched.
    const deep = `{"version":1,"name":"deep","nodes":[{"id":"orders","kind":"topic","schema":${'{"items":'.repeat(5000)}{}${'}'.repeat(5000)}}],"links":[]}`;
    const hostile = await app.inject({
      method: 'PUT',
      url: '/w/ann/api/topology',
      payload: deep,
      headers: { 'content-type': 'application/json' },
    });
    expect(hostile.statusCode).toBe(400);
    expect((await call('GET', '/w/bob/api/topology')).body.name).toBe(SHOP_TO_BILLING.name);

    // A reset in ann deletes ann's topics and groups, and nothing of bob's.
    const reset = await call('POST', '/w/ann/api/reset');
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect((await admin.namespace(annPrefix)).topics).toEqual([]);
    const bobAfter = await admin.namespace(bobPrefix);
    expect(bobAfter.topics.sort()).toEqual(bobBefore.topics.sort());
    expect(bobAfter.groups).toContain(`${bobPrefix}billing`);
    const afterReset = await billingRate('bob', 4);

    console.log(
      `bob's billing: ${steady.toFixed(1)} ev/s steady, ${duringCrash.toFixed(1)} during ann's crash, ${afterReset.toFixed(1)} after ann's reset`,
    );
    for (const rate of [duringCrash, afterReset]) expect(Math.abs(rate - steady) / steady).toBeLessThan(0.25);
  }, 120_000);

  it('evicts a workspace nobody uses, deleting its topics and groups; its saved topology comes back', async () => {
    expect((await call('PUT', '/w/cid/api/topology', SHOP_TO_BILLING)).status).toBe(200);
    expect((await call('POST', '/w/cid/api/run')).status).toBe(200);
    const cidPrefix = workspacePrefix(prefix, 'cid');
    await waitFor(async () => (await admin.namespace(cidPrefix)).groups.length > 0, 30_000, 'cid running');
    // Nobody asks cid anything now; bob stays in use.
    await waitFor(
      async () => {
        await state('bob');
        return evicted.includes('cid');
      },
      4 * IDLE_MS,
      'cid evicted',
    );
    expect(workspaces.list().map((w) => w.name)).not.toContain('cid');
    expect(await admin.namespace(cidPrefix)).toEqual({ topics: [], groups: [] });
    expect(evicted).not.toContain('bob');
    // Coming back: the saved topology is there, not running.
    const back = await call('GET', '/w/cid/api/topology');
    expect(back.body.name).toBe(SHOP_TO_BILLING.name);
    expect((await state('cid')).running).toBe(false);
  }, 90_000);
});
