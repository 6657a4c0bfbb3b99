import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Snapshot, TopologyDocument } from '@lab/model';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafka } from '../src/kafka/client.js';
import { SESSION_TIMEOUT_MS } from '../src/kafka/consumer.js';
import { InstanceHosts } from '../src/runtime/hosts.js';
import { type LabHarness, startLab } from './lab-harness.js';
import { waitFor } from './server-process.js';

/** A source feeding one topic that two services consume, each in its own group. */
const twoConsumers = (a = 'A'): TopologyDocument => ({
  version: 1,
  name: 'two consumers on one host',
  nodes: [
    { id: 'shop', kind: 'source', ratePerSec: 100 },
    { id: 'orders', kind: 'topic', partitions: 2 },
    { id: 'B', kind: 'service', processingMs: 2 },
    { id: a, kind: 'service', processingMs: 2 },
  ],
  links: [
    { id: 'p', kind: 'produce', from: 'shop', to: 'orders' },
    { id: 'ca', kind: 'consume', from: 'orders', to: a },
    { id: 'cb', kind: 'consume', from: 'orders', to: 'B' },
  ],
});

/** Events a service finished per second over `ms`, measured from its processed count. */
async function rateOver(state: () => Snapshot, serviceId: string, ms = 3_000): Promise<number> {
  const before = state().nodes[serviceId]!.processed;
  await new Promise((r) => setTimeout(r, ms));
  return ((state().nodes[serviceId]!.processed - before) * 1000) / ms;
}

async function membersOf(admin: Admin, groupId: string): Promise<string[]> {
  const { groups } = await admin.describeGroups([groupId]);
  return groups[0]?.members.map((m) => m.clientId) ?? [];
}

describe('instances sharing one host thread', () => {
  const hosts = new InstanceHosts({ size: 1 });
  let h: LabHarness;
  let admin: Admin;
  beforeAll(async () => {
    h = await startLab({ hosts });
    admin = createKafka(inject('kafkaBrokers').split(','), 'lean-instances-test').admin();
    await admin.connect();
    expect((await h.put(twoConsumers())).status).toBe(200);
    expect((await h.post('/api/run')).status).toBe(200);
    await h.until('A and B keeping up', (s) => s.nodes.A!.inRate > 60 && s.nodes.B!.inRate > 60);
  });
  afterAll(async () => {
    await admin.disconnect();
    await h.close();
    await hosts.close();
  });

  it('runs every instance on the one thread, each its own member of its group', async () => {
    const placed = hosts.describe();
    expect(placed).toHaveLength(1);
    expect(placed[0]!.instances.sort()).toEqual(['A-1', 'B-1', 'shop-1']);
    expect(await membersOf(admin, `${h.prefix}A`)).toEqual(['A-1']);
    expect(await membersOf(admin, `${h.prefix}B`)).toEqual(['B-1']);
  });

  it('a hung instance does not delay another on its thread', async () => {
    const before = await rateOver(h.state, 'B');
    expect((await h.post('/api/nodes/A/actions', { action: 'hang' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_000));
    const aBefore = h.state().nodes.A!.processed;
    const during = await rateOver(h.state, 'B');
    expect(h.state().nodes.A!.processed).toBe(aBefore); // A really is hung
    console.log(`B beside a hung A on one thread: ${before.toFixed(0)} ev/s before, ${during.toFixed(0)} ev/s during`);
    expect(during).toBeGreaterThan(before * 0.85);
    expect((await h.post('/api/nodes/A/actions', { action: 'revive' })).status).toBe(200);
  });

  it('a slow instance does not delay another on its thread', async () => {
    const before = await rateOver(h.state, 'B');
    expect((await h.post('/api/nodes/A/actions', { action: 'slow', value: 2_000 })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_000));
    const during = await rateOver(h.state, 'B');
    expect(h.state().nodes.A!.inRate).toBeLessThan(during / 2); // A really is slow
    console.log(`B beside a slow A on one thread: ${before.toFixed(0)} ev/s before, ${during.toFixed(0)} ev/s during`);
    expect(during).toBeGreaterThan(before * 0.85);
    expect(h.state().nodes.B!.p99Ms).toBeLessThan(500);
    expect((await h.post('/api/nodes/A/actions', { action: 'revive' })).status).toBe(200);
  });

  it('a crash cuts only that instance’s connections: Kafka keeps its member until the session timeout, nothing of it goes on', async () => {
    const thread = hosts.describe()[0]!.thread;
    // From a steady group: the inputs slowed before the revive have finished, A heartbeats as usual again
    // (a consumer busy on one long input does not heartbeat, and its session would expire sooner).
    await h.until('A keeping up again', (s) => s.nodes.A!.inRate > 60 && s.nodes.A!.inFlight < 5, 20_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const crashedAt = Date.now();
    expect((await h.post('/api/nodes/A/actions', { action: 'crash' })).status).toBe(200);
    // The broker was not told: no LeaveGroup, so the dead member stays in the group until its session expires.
    expect(await membersOf(admin, `${h.prefix}A`)).toEqual(['A-1']);
    // Its Kafka sockets are gone at once (it may even have wound down completely already).
    const crashed = (await hosts.inspect(thread)).instances.find((i) => i.id === 'A-1');
    expect(crashed ?? { state: 'winding-down', openSockets: 0 }).toMatchObject({
      state: 'winding-down',
      openSockets: 0,
    });
    // Its code winds down without a connection, and nothing of it stays on the thread.
    const woundDown = waitFor(
      async () => !(await hosts.inspect(thread)).instances.some((i) => i.id === 'A-1'),
      20_000,
      'A-1 to wind down',
    ).then(() => Date.now() - crashedAt);
    await waitFor(async () => (await membersOf(admin, `${h.prefix}A`)).length === 0, 20_000, 'A-1 to expire');
    const expiredMs = Date.now() - crashedAt;
    expect(expiredMs).toBeGreaterThan(SESSION_TIMEOUT_MS - 1_500);
    const woundDownMs = await woundDown;
    expect(await membersOf(admin, `${h.prefix}A`)).toEqual([]); // it never came back
    const after = await rateOver(h.state, 'B', 2_000);
    console.log(
      `A-1 expired from its group ${expiredMs} ms after the crash, was gone from its thread by ${woundDownMs} ms; B went on at ${after.toFixed(0)} ev/s`,
    );
    expect(after).toBeGreaterThan(60);
    expect((await hosts.inspect(thread)).instances.map((i) => i.id).sort()).toEqual(['B-1', 'shop-1']);
  });

  it('a stop says goodbye: the member leaves the group at once', async () => {
    const stoppedAt = Date.now();
    expect((await h.post('/api/nodes/B/actions', { action: 'stop' })).status).toBe(200);
    expect(await membersOf(admin, `${h.prefix}B`)).toEqual([]);
    expect(Date.now() - stoppedAt).toBeLessThan(SESSION_TIMEOUT_MS);
  });
});

describe('a host thread that dies', () => {
  const lines: string[] = [];
  const hosts = new InstanceHosts({
    size: 2,
    file: new URL('./fixtures/hog-host.mjs', import.meta.url),
    resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 },
    onHostDied: (line) => lines.push(line),
  });
  let h: LabHarness;
  beforeAll(async () => {
    process.env.HOG_FLAG_FILE = join(mkdtempSync(join(tmpdir(), 'hog-')), 'ran-out');
    h = await startLab({ hosts });
  });
  afterAll(async () => {
    await h.close();
    await hosts.close();
  });

  it('takes only its own instances down, says so, and the next instance gets a new thread', async () => {
    expect((await h.put(twoConsumers('hog'))).status).toBe(200);
    expect((await h.post('/api/run')).status).toBe(200);
    const placed = hosts.describe();
    const hogThread = placed.find((t) => t.instances.includes('hog-1'))!;
    expect(hogThread.instances).toEqual(['hog-1']); // B and hog went to one thread each, then shop joined B's
    await h.until('hog down', (s) => s.nodes.hog!.status === 'down', 30_000);
    expect(lines).toEqual([
      expect.stringMatching(/^Instance host thread \d+ died \(out of memory.*\): hog-1 went down/),
    ]);
    expect(
      h.lab.log
        .recent()
        .some((e) => e.nodeId === 'hog' && /hog-1: its host thread died \(out of memory/.test(e.message)),
    ).toBe(true);
    const b = await rateOver(h.state, 'B', 2_000);
    expect(b).toBeGreaterThan(60); // the other thread's instances never noticed
    expect((await h.post('/api/nodes/hog/actions', { action: 'revive' })).status).toBe(200);
    await h.until('hog processing again', (s) => s.nodes.hog!.status === 'running' && s.nodes.hog!.inRate > 30);
    expect(hosts.describe().find((t) => t.instances.includes('hog-1'))!.thread).not.toBe(hogThread.thread);
  });
});
