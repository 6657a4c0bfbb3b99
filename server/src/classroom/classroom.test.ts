import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClassNotice, ServerMessage, TopologyDocument } from '@lab/model';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FakeKafka } from '../../test/fake-kafka.js';
import { buildApp } from '../app.js';
import { createLab, type Lab } from '../lab.js';
import { Workspaces } from '../workspaces/workspaces.js';
import { Room } from './room.js';

// Who may reach what in a classroom, over HTTP: the instructor (the token) everything, an attendee (their
// cookie) their own workspace only, anyone else the join page. Kafka is never reached.

const TOKEN = 'instructor-token-0123456789';
const CODE = 'ABC234';
const INSTRUCTOR = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

let app: FastifyInstance | undefined;
let lab: Lab | undefined;
afterEach(async () => {
  await app?.close();
  await lab?.close();
  app = undefined;
  lab = undefined;
});

async function classroom(options: { maxAttendees?: number; joinsPerMinute?: number } = {}) {
  const kafka = new FakeKafka();
  const dataDir = mkdtempSync(join(tmpdir(), 'classroom-test-'));
  const base = { brokers: ['127.0.0.1:1'], kafka };
  lab = createLab({ ...base, topicPrefix: 'test.', dataDir });
  const workspaces = new Workspaces({
    defaultLab: lab,
    createLab: (namespace) => createLab({ ...base, ...namespace, maxInstances: 4, maxRatePerSec: 50 }),
    topicPrefix: 'test.',
    dataDir,
    max: 10,
  });
  const room = new Room({
    maxAttendees: options.maxAttendees ?? 5,
    code: CODE,
    joinsPerMinute: options.joinsPerMinute,
  });
  app = await buildApp({
    lab,
    workspaces,
    webRoot: '/nonexistent',
    accessToken: TOKEN,
    loopbackOnly: true,
    classroom: { room, joinUrls: ['http://127.0.0.1:3000'], stuckMinutes: 5 },
  });
  return { app, workspaces, room };
}

async function joinAs(app: FastifyInstance, name: string, code = CODE, address?: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/classroom/join',
    payload: { code, name },
    ...(address ? { remoteAddress: address } : {}),
  });
  const cookie = String(res.headers['set-cookie'] ?? '').split(';')[0]!;
  return { res, cookie, body: res.json() as { workspace: string; url: string; error?: string } };
}

const doc = (instances: number, rate: number): TopologyDocument => ({
  version: 1,
  name: 'mine',
  nodes: [
    { id: 'shop', kind: 'source', ratePerSec: rate },
    { id: 'orders', kind: 'topic', partitions: 1 },
    { id: 'pay', kind: 'service', instances },
  ],
  links: [
    { id: 'l', kind: 'produce', from: 'shop', to: 'orders' },
    { id: 'c', kind: 'consume', from: 'orders', to: 'pay' },
  ],
});

describe('joining a classroom', () => {
  it('gives an attendee their own workspace and an HttpOnly SameSite=Strict cookie bound to it', async () => {
    const { app } = await classroom();
    const { res, cookie, body } = await joinAs(app, '  Ann   Lee ');
    expect(res.statusCode).toBe(200);
    expect(body.workspace).toMatch(/^ann-lee-[a-z0-9]{4}$/);
    expect(String(res.headers['set-cookie'])).toMatch(/^lab_attendee=[\w-]{32}; HttpOnly; SameSite=Strict; Path=\/$/);
    const own = await app.inject({ url: `/w/${body.workspace}/api/topology`, headers: { cookie } });
    expect(own.statusCode).toBe(200);
    // A reload, or the join page again, resumes the same workspace: no second one.
    const again = await app.inject({
      method: 'POST',
      url: '/api/classroom/join',
      payload: { code: CODE, name: 'Someone else' },
      headers: { cookie },
    });
    expect(again.json()).toMatchObject({ workspace: body.workspace, resumed: true });
    const me = await app.inject({ url: '/api/classroom/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ name: 'Ann Lee', workspace: `/w/${body.workspace}/` });
  });

  it('refuses a wrong room code, and accepts the right one in any case or with spaces', async () => {
    const { app } = await classroom();
    const wrong = await joinAs(app, 'Ann', 'ABC235');
    expect(wrong.res.statusCode).toBe(403);
    expect(wrong.body.error).toBe('Wrong room code: check the code the instructor shows (6 letters and digits)');
    expect(wrong.cookie).toBe('');
    expect((await joinAs(app, 'Ann', 'abc 234')).res.statusCode).toBe(200);
  });

  it('names the problem with an odd, huge or duplicate display name', async () => {
    const { app } = await classroom();
    expect((await joinAs(app, '   ')).body.error).toBe('Enter a display name: the instructor sees it on the dashboard');
    expect((await joinAs(app, 'x'.repeat(41))).body.error).toBe(
      'A display name has at most 40 characters (this one has 41)',
    );
    expect((await joinAs(app, 'Ann\u202Eeil')).body.error).toBe(
      'A display name cannot contain invisible or control characters (U+202E)',
    );
    expect((await joinAs(app, 'Bob\u200B')).body.error).toMatch(/U\+200B/);
    const huge = await joinAs(app, 'x'.repeat(100_000));
    expect(huge.res.statusCode).toBe(400);
    expect(huge.body.error).toMatch(/name must NOT have more than 1000 characters/);
    expect((await joinAs(app, 'Zoë')).res.statusCode).toBe(200);
    const twin = await joinAs(app, 'ZOË');
    expect(twin.res.statusCode).toBe(409);
    expect(twin.body.error).toBe('"ZOË" is already in this room: add an initial or choose another name');
    // Full-width letters look the same on a projector: the same name.
    expect((await joinAs(app, 'Ｚｏë')).res.statusCode).toBe(409);
  });

  it('caps the room, and the join attempts of one address per minute', async () => {
    const { app, workspaces } = await classroom({ maxAttendees: 2, joinsPerMinute: 4 });
    expect((await joinAs(app, 'A', CODE, '10.0.0.1')).res.statusCode).toBe(200);
    expect((await joinAs(app, 'B', CODE, '10.0.0.2')).res.statusCode).toBe(200);
    const full = await joinAs(app, 'C', CODE, '10.0.0.3');
    expect(full.res.statusCode).toBe(503);
    expect(full.body.error).toBe('The room is full (2 attendees, CLASSROOM_MAX_ATTENDEES): ask the instructor');
    expect(workspaces.list()).toHaveLength(2);
    // Guessing codes from one address: four tries a minute, then told to wait (even with the right code).
    for (let i = 0; i < 4; i++) expect((await joinAs(app, 'D', 'ZZZZZZ', '10.0.0.9')).res.statusCode).toBe(403);
    const flood = await joinAs(app, 'D', 'ZZZZZZ', '10.0.0.9');
    expect(flood.res.statusCode).toBe(429);
    expect(flood.body.error).toBe('Too many join attempts from this address (4 a minute): wait a minute and try again');
  });
});

describe('roles', () => {
  it("keeps an attendee out of another's workspace, the default lab and the instructor's API", async () => {
    const { app, workspaces } = await classroom();
    const ann = await joinAs(app, 'Ann');
    const bob = await joinAs(app, 'Bob');
    const other = await app.inject({ url: `/w/${bob.body.workspace}/api/topology`, headers: { cookie: ann.cookie } });
    expect(other.statusCode).toBe(403);
    expect(other.json().error).toBe(
      `This is not your workspace: as an attendee you use yours only, /w/${ann.body.workspace}/`,
    );
    // An encoded spelling of the other's name is decoded by the router before the comparison.
    const encoded = `/w/${bob.body.workspace.replace('b', '%62')}/api/topology`;
    expect((await app.inject({ url: encoded, headers: { cookie: ann.cookie } })).statusCode).toBe(403);
    // Nor can an attendee create workspaces by naming them.
    expect((await app.inject({ url: '/w/made-up/api/topology', headers: { cookie: ann.cookie } })).statusCode).toBe(
      403,
    );
    expect(workspaces.list().map((w) => w.name)).not.toContain('made-up');
    const live = await app.inject({ url: `/w/${bob.body.workspace}/live`, headers: { cookie: ann.cookie } });
    expect(live.statusCode).toBe(403);
    for (const url of ['/api/topology', '/api/classroom', '/api/classroom/summary']) {
      const res = await app.inject({ url, headers: { cookie: ann.cookie } });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error).toBe(
        `Attendees use their own workspace only (/w/${ann.body.workspace}/): this is for the instructor`,
      );
    }
    const steer = await app.inject({
      method: 'POST',
      url: '/api/classroom/broadcast',
      payload: { text: 'hi' },
      headers: { cookie: ann.cookie },
    });
    expect(steer.statusCode).toBe(403);
  });

  it('sends pages to the right place and answers API calls without a role with 401', async () => {
    const { app } = await classroom();
    const ann = await joinAs(app, 'Ann');
    expect((await app.inject({ url: '/' })).headers.location).toBe('/join');
    expect((await app.inject({ url: '/classroom' })).headers.location).toBe('/join');
    expect((await app.inject({ url: '/join' })).statusCode).toBe(503); // the (unbuilt) app itself
    expect((await app.inject({ url: '/assets/index.js' })).statusCode).not.toBe(401);
    const anon = await app.inject({ url: `/w/${ann.body.workspace}/api/topology` });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error).toMatch(/^Join the room first: open \/join and enter the room code/);
    expect((await app.inject({ url: '/', headers: { cookie: ann.cookie } })).headers.location).toBe(
      `/w/${ann.body.workspace}/`,
    );
    expect((await app.inject({ url: '/w/bob-x/', headers: { cookie: ann.cookie } })).headers.location).toBe(
      `/w/${ann.body.workspace}/`,
    );
    // A forged cookie is no attendee.
    expect(
      (await app.inject({ url: '/api/classroom/me', headers: { cookie: 'lab_attendee=forged' } })).statusCode,
    ).toBe(401);
  });

  it('lets the instructor reach every workspace and the classroom API, and keeps the security checks', async () => {
    const { app } = await classroom();
    const ann = await joinAs(app, 'Ann');
    expect((await app.inject({ url: `/w/${ann.body.workspace}/api/topology`, headers: INSTRUCTOR })).statusCode).toBe(
      200,
    );
    expect((await app.inject({ url: '/api/topology', headers: INSTRUCTOR })).statusCode).toBe(200);
    const me = await app.inject({ url: '/api/classroom/me', headers: INSTRUCTOR });
    expect(me.json().error).toBe('This is for attendees: the instructor has the dashboard at /classroom');
    // Joining from another site, or not as JSON, is refused like any other command.
    const cross = await app.inject({
      method: 'POST',
      url: '/api/classroom/join',
      payload: { code: CODE, name: 'Eve' },
      headers: { origin: 'http://evil.example' },
    });
    expect(cross.statusCode).toBe(403);
    const form = await app.inject({
      method: 'POST',
      url: '/api/classroom/join',
      payload: `code=${CODE}&name=Eve`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.statusCode).toBe(415);
    // On loopback a DNS-rebinding page (another host name) cannot even reach the join page.
    expect(
      (await app.inject({ url: '/api/classroom/join', method: 'POST', payload: {}, headers: { host: 'evil.example' } }))
        .statusCode,
    ).toBe(403);
  });
});

describe('the instructor steering', () => {
  it('shows the room, broadcasts, answers a help request with a hint, and removes an attendee', async () => {
    const { app } = await classroom();
    const ann = await joinAs(app, 'Ann');
    await joinAs(app, 'Bob');
    const help = await app.inject({
      method: 'POST',
      url: '/api/classroom/me/help',
      payload: { on: true },
      headers: { cookie: ann.cookie },
    });
    expect(help.statusCode).toBe(200);
    const room = (await app.inject({ url: '/api/classroom', headers: INSTRUCTOR })).json();
    expect(room.code).toBe(CODE);
    expect(room.joinUrls).toEqual([`http://127.0.0.1:3000/join?code=${CODE}`]);
    expect(room.attendees.map((a: { name: string }) => a.name)).toEqual(['Ann', 'Bob']);
    expect(room.attendees[0].helpSince).toBeTypeOf('number');
    expect(room.attendees[1].helpSince).toBeUndefined();

    const sent = await app.inject({
      method: 'POST',
      url: '/api/classroom/broadcast',
      payload: { text: 'Break in 5' },
      headers: INSTRUCTOR,
    });
    expect(sent.statusCode).toBe(200);
    const empty = await app.inject({
      method: 'POST',
      url: '/api/classroom/broadcast',
      payload: { text: '  ' },
      headers: INSTRUCTOR,
    });
    expect(empty.json().error).toBe('The message is empty');
    const long = await app.inject({
      method: 'POST',
      url: '/api/classroom/broadcast',
      payload: { text: 'x'.repeat(501) },
      headers: INSTRUCTOR,
    });
    expect(long.json().error).toBe('A message has at most 500 characters (this one has 501)');
    await app.inject({
      method: 'POST',
      url: `/api/classroom/attendees/${ann.body.workspace}/hint`,
      payload: { text: 'Look at the lag on orders' },
      headers: INSTRUCTOR,
    });
    const notices = (await app.inject({ url: '/api/classroom/me', headers: { cookie: ann.cookie } })).json();
    expect(notices.notices.map((n: { kind: string; text: string }) => [n.kind, n.text])).toEqual([
      ['broadcast', 'Break in 5'],
      ['hint', 'Look at the lag on orders'],
    ]);
    expect(notices.helpSince).toBeUndefined(); // the hint answered it
    const after = (
      await app.inject({ url: `/api/classroom/me?after=${notices.notices[0].seq}`, headers: { cookie: ann.cookie } })
    ).json();
    expect(after.notices).toHaveLength(1);

    const unknown = await app.inject({
      method: 'POST',
      url: '/api/classroom/attendees/nobody/remove',
      headers: INSTRUCTOR,
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toBe('No attendee "nobody" in this room');
    // The cookie is revoked at once; the workspace's eviction (its topics deleted from Kafka, which this test
    // has none of) is the integration test's.
    void app.inject({
      method: 'POST',
      url: `/api/classroom/attendees/${ann.body.workspace}/remove`,
      headers: INSTRUCTOR,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await app.inject({ url: '/api/classroom', headers: INSTRUCTOR })).json().attendees).toHaveLength(1);
    const gone = await app.inject({ url: `/w/${ann.body.workspace}/api/topology`, headers: { cookie: ann.cookie } });
    expect(gone.statusCode).toBe(401);
    expect(gone.json().error).toBe('The instructor removed you from this room: join again with the room code');
  });

  it("pushes a broadcast and a hint onto the attendee's own live feed at once, and nobody else's hint", async () => {
    const { app } = await classroom();
    const ann = await joinAs(app, 'Ann');
    const bob = await joinAs(app, 'Bob');
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const socket = new WebSocket(`ws://127.0.0.1:${port}/w/${ann.body.workspace}/live`, {
      headers: { cookie: ann.cookie },
    });
    const notices: ClassNotice[] = [];
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if (message.type === 'notice') notices.push(message.notice);
    });
    await new Promise((resolve) => socket.once('open', resolve));
    const send = (url: string, text: string) =>
      app!.inject({ method: 'POST', url, payload: { text }, headers: INSTRUCTOR });
    await send(`/api/classroom/attendees/${bob.body.workspace}/hint`, 'Bob only');
    await send('/api/classroom/broadcast', 'Break in 5');
    await send(`/api/classroom/attendees/${ann.body.workspace}/hint`, 'Look at the lag');
    const deadline = Date.now() + 2_000;
    while (notices.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50)); // a stray third (Bob's) would have arrived by now
    expect(notices.map((n) => [n.kind, n.text])).toEqual([
      ['broadcast', 'Break in 5'],
      ['hint', 'Look at the lag'],
    ]);
    socket.close();
  });

  it('refuses to start an unknown lab for everyone, and to reset an attendee with no lab open', async () => {
    const { app } = await classroom();
    const ann = await joinAs(app, 'Ann');
    const start = await app.inject({
      method: 'POST',
      url: '/api/classroom/start',
      payload: { labId: 'nope' },
      headers: INSTRUCTOR,
    });
    expect(start.statusCode).toBe(404);
    expect(start.json().error).toMatch(/^No lab "nope" \(labs: /);
    const reset = await app.inject({
      method: 'POST',
      url: `/api/classroom/attendees/${ann.body.workspace}/reset`,
      headers: INSTRUCTOR,
    });
    expect(reset.statusCode).toBe(409);
    expect(reset.json().error).toBe('Ann has no lab open: start one for them first');
  });
});

describe("an attendee's fair share", () => {
  it("caps one attendee's instances and source rate below the lab's own quota", async () => {
    const { app } = await classroom();
    const ann = await joinAs(app, 'Ann');
    const at = (path: string) => `/w/${ann.body.workspace}${path}`;
    const headers = { cookie: ann.cookie, 'content-type': 'application/json' };
    expect(
      (await app.inject({ method: 'PUT', url: at('/api/topology'), payload: doc(4, 10), headers })).statusCode,
    ).toBe(200);
    const run = await app.inject({ method: 'POST', url: at('/api/run'), headers });
    expect(run.statusCode).toBe(409);
    expect(run.json().error).toBe(
      'This run: 5 instances would run (service instances plus one per source); the lab runs at most 4 at once',
    );
    await app.inject({ method: 'PUT', url: at('/api/topology'), payload: doc(1, 60), headers });
    const fast = await app.inject({ method: 'POST', url: at('/api/run'), headers });
    expect(fast.json().error).toBe(
      "This run: the sources make 60 events per second together; this lab's sources make at most 50 together",
    );
    await app.inject({ method: 'PUT', url: at('/api/topology'), payload: doc(1, 10), headers });
    const rate = await app.inject({
      method: 'POST',
      url: at('/api/nodes/shop/rate'),
      payload: { perSecond: 51 },
      headers,
    });
    expect(rate.statusCode).toBe(400);
    expect(rate.json().error).toMatch(/the lab's sources make at most 50 together$/);
  });
});
