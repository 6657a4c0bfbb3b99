import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClassroomState, Snapshot } from '@lab/model';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { Room } from '../src/classroom/room.js';
import { LabAdmin } from '../src/kafka/admin.js';
import { createKafka } from '../src/kafka/client.js';
import { createLab, type Lab } from '../src/lab.js';
import { workspacePrefix } from '../src/workspaces/names.js';
import { Workspaces } from '../src/workspaces/workspaces.js';
import { onSharedBroker, sharedBrokers } from './lab-harness.js';
import { waitFor } from './server-process.js';

/**
 * A classroom on the real broker: two attendees join; the instructor starts lab 4 for both, runs it and crashes
 * both Payments at once (each attendee's own instances, in their own Kafka namespace); the dashboard reads each
 * one's run; removing an attendee revokes their cookie and deletes their workspace's topics and groups.
 */
const prefix = `cl${randomUUID().slice(0, 6)}.`;
const TOKEN = 'classroom-it-token-0123456789';
const CODE = 'QWE234';
const INSTRUCTOR = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

let app: FastifyInstance;
let defaultLab: Lab;
let admin: LabAdmin;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'classroom-it-'));
  const shared = onSharedBroker();
  defaultLab = createLab({ ...shared, topicPrefix: prefix, dataDir });
  const workspaces = new Workspaces({
    defaultLab,
    createLab: (namespace) => createLab({ ...shared, ...namespace, maxInstances: 12, maxRatePerSec: 500 }),
    topicPrefix: prefix,
    dataDir,
    max: 5,
    maxInstances: 40,
  });
  app = await buildApp({
    lab: defaultLab,
    workspaces,
    webRoot: '/nonexistent',
    accessToken: TOKEN,
    loopbackOnly: true,
    classroom: { room: new Room({ maxAttendees: 3, code: CODE }), joinUrls: [], stuckMinutes: 5 },
  });
  admin = new LabAdmin(createKafka(sharedBrokers(), 'classroom-test'));
});
afterAll(async () => {
  await app.inject({
    method: 'POST',
    url: '/api/classroom/command',
    payload: { command: { stop: true } },
    headers: INSTRUCTOR,
  });
  for (const id of Object.values(ids)) await admin.deleteNamespace(workspacePrefix(prefix, id)).catch(() => {});
  await app.close();
  await defaultLab.close();
  await admin.close();
});

const instructor = async (method: 'GET' | 'POST', url: string, payload?: object) => {
  const res = await app.inject({
    method,
    url,
    headers: INSTRUCTOR,
    ...(method === 'POST' ? { payload: payload ?? {} } : {}),
  });
  return { status: res.statusCode, body: res.json() };
};
const stateOf = async (name: string) =>
  (await app.inject({ url: `/w/${ids[name]}/api/state`, headers: { cookie: cookies[name]! } })).json() as Snapshot;

describe('a classroom on the real broker', () => {
  it('starts a lab for every attendee and crashes everyone’s Payments at once', async () => {
    for (const name of ['Ann', 'Bob']) {
      const res = await app.inject({ method: 'POST', url: '/api/classroom/join', payload: { code: CODE, name } });
      expect(res.statusCode).toBe(200);
      cookies[name] = String(res.headers['set-cookie']).split(';')[0]!;
      ids[name] = res.json().workspace;
    }
    const started = await instructor('POST', '/api/classroom/start', { labId: 'side-by-side' });
    expect(started.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, true]);
    const ran = await instructor('POST', '/api/classroom/command', { command: { run: true } });
    expect(ran.body.results.every((r: { ok: boolean }) => r.ok)).toBe(true);
    for (const name of ['Ann', 'Bob'])
      await waitFor(async () => ((await stateOf(name)).nodes['ev-payments']?.inRate ?? 0) > 5, 30_000, `${name}'s run`);

    const crash = await instructor('POST', '/api/classroom/command', {
      command: { action: { node: 'rest-payments', action: 'crash' } },
    });
    expect(crash.body.results.every((r: { ok: boolean }) => r.ok)).toBe(true);
    for (const name of ['Ann', 'Bob'])
      await waitFor(
        async () => (await stateOf(name)).nodes['rest-payments']?.status === 'down',
        10_000,
        `${name}'s crash`,
      );

    // The dashboard reads each attendee's own run and step.
    const room = (await instructor('GET', '/api/classroom')).body as ClassroomState;
    expect(room.attendees.map((a) => [a.name, a.lab?.id, a.lab?.current, a.live.running])).toEqual([
      ['Ann', 'side-by-side', 0, true],
      ['Bob', 'side-by-side', 0, true],
    ]);
    expect(room.attendees.every((a) => a.live.eventsPerSec > 0)).toBe(true);
    expect(room.progress).toMatchObject([{ labId: 'side-by-side', attendees: 2 }]);
    // Their topics live in their own namespaces.
    for (const name of ['Ann', 'Bob'])
      expect((await admin.namespace(workspacePrefix(prefix, ids[name]!))).topics.length).toBeGreaterThan(0);
  }, 90_000);

  it('removes an attendee: their cookie is revoked and their topics and groups deleted, the other runs on', async () => {
    const removed = await instructor('POST', `/api/classroom/attendees/${ids.Ann}/remove`);
    expect(removed.status).toBe(200);
    expect(removed.body.outcome).toMatch(/^deleted \d+ topics and \d+ consumer groups$/);
    expect(await admin.namespace(workspacePrefix(prefix, ids.Ann!))).toEqual({ topics: [], groups: [] });
    const gone = await app.inject({ url: `/w/${ids.Ann}/api/state`, headers: { cookie: cookies.Ann! } });
    expect(gone.statusCode).toBe(401);
    expect((await stateOf('Bob')).running).toBe(true);
  }, 60_000);
});
