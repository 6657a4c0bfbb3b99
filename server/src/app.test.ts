import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_VERSION, type ServerMessage } from '@lab/model';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FakeKafka } from '../test/fake-kafka.js';
import { type AppOptions, buildApp } from './app.js';
import { createLab, type Lab } from './lab.js';

let app: FastifyInstance | undefined;
let lab: Lab | undefined;
afterEach(async () => {
  await app?.close();
  await lab?.close();
  app = undefined;
  lab = undefined;
});

/** The app over a lab whose Kafka is never reached: these tests are about HTTP, not Kafka. */
function build(kafka: FakeKafka, options: Partial<AppOptions> = {}) {
  lab = createLab({
    brokers: ['127.0.0.1:1'],
    topicPrefix: 'test.',
    dataDir: mkdtempSync(join(tmpdir(), 'app-test-')),
    kafka,
  });
  return buildApp({ lab, webRoot: '/nonexistent', ...options });
}

async function start(kafka = new FakeKafka()) {
  app = await build(kafka, { frameIntervalMs: 20 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { kafka, port };
}

/** Collects every message of a live connection, in order. */
function connect(port: number, headers: Record<string, string> = {}) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/live`, { headers });
  const messages: ServerMessage[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  return { socket, messages };
}

async function until(condition: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('GET /api/health', () => {
  it('reports the server version and Kafka as the monitor sees it', async () => {
    const kafka = new FakeKafka();
    app = await build(kafka);
    const up = await app.inject('/api/health');
    expect(up.statusCode).toBe(200);
    expect(up.json()).toMatchObject({ ok: true, version: expect.any(String), kafka: { status: 'up' } });

    kafka.set({ status: 'down', brokers: ['127.0.0.1:9092'], managed: true, error: 'unreachable' });
    expect((await app.inject('/api/health')).json()).toMatchObject({
      ok: false,
      kafka: { status: 'down', error: 'unreachable' },
    });
  });

  it('refuses a foreign Host (DNS rebinding) with a message naming it', async () => {
    app = await build(new FakeKafka());
    const res = await app.inject({ url: '/api/health', headers: { host: 'evil.example:3000' } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ error: 'Host "evil.example:3000" is not allowed', path: 'headers.host' });
  });

  it('answers unknown API paths with a 404 in the error shape', async () => {
    app = await build(new FakeKafka());
    const res = await app.inject('/api/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'No route GET /api/nope', path: 'url' });
  });

  it('says how to build the web app when it is missing', async () => {
    app = await build(new FakeKafka());
    const res = await app.inject('/');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm start');
  });
});

describe('WS /live', () => {
  it('sends hello with the protocol version, then a snapshot, then a delta frame when Kafka changes', async () => {
    const { kafka, port } = await start();
    const { messages } = connect(port);
    await until(() => messages.length >= 3);
    expect(messages[0]).toMatchObject({ type: 'hello', protocol: PROTOCOL_VERSION });
    expect(messages[1]).toMatchObject({ type: 'snapshot', snapshot: { running: false, kafka: { status: 'up' } } });
    expect(messages[2]).toMatchObject({ type: 'log', entries: [] });

    kafka.set({ status: 'down', brokers: ['127.0.0.1:9092'], managed: true });
    await until(() => messages.some((m) => m.type === 'frame'));
    const snapshot = messages[1] as { seq: number };
    // Only what changed, based on the revision the browser has.
    expect(messages.find((m) => m.type === 'frame')).toEqual({
      type: 'frame',
      seq: expect.any(Number),
      base: snapshot.seq,
      delta: { kafka: { status: 'down', brokers: ['127.0.0.1:9092'], managed: true } },
    });
  });

  it('refuses an upgrade from another site (cross-site WebSocket hijacking)', async () => {
    const { port } = await start();
    const { socket } = connect(port, { origin: 'https://evil.example' });
    const status = await new Promise<number | undefined>((resolve) => {
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode));
      socket.on('open', () => resolve(101));
    });
    expect(status).toBe(403);
  });

  it('closes a connection that sends an oversized message (1009), and the server stays up', async () => {
    const { port } = await start();
    const { socket } = connect(port);
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('x'.repeat(200 * 1024));
    expect(await closed).toBe(1009);
    expect((await app!.inject('/api/health')).statusCode).toBe(200);
  });

  it('accepts the lab page itself as origin', async () => {
    const { port } = await start();
    const { messages } = connect(port, { origin: `http://127.0.0.1:${port}` });
    await until(() => messages.length >= 2);
    expect(messages[0]?.type).toBe('hello');
  });
});

describe('a lab exposed beyond loopback', () => {
  const token = 'a-long-enough-access-token';

  it('refuses requests without the token, naming what is missing', async () => {
    app = await build(new FakeKafka(), { accessToken: token });
    const res = await app.inject({ url: '/api/health', headers: { host: '192.0.2.10:3000' } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: expect.stringContaining('access token'), path: 'token' });
    const wrong = await app.inject({ url: '/api/health', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
  });

  it('accepts ?token= once and then the cookie it sets, or a bearer header', async () => {
    app = await build(new FakeKafka(), { accessToken: token });
    const first = await app.inject({ url: `/api/health?token=${token}`, headers: { host: 'lab.example:3000' } });
    expect(first.statusCode).toBe(200);
    const cookie = String(first.headers['set-cookie']).split(';')[0];
    expect(cookie).toBe(`lab_token=${token}`);
    expect((await app.inject({ url: '/api/health', headers: { cookie } })).statusCode).toBe(200);
    const bearer = await app.inject({ url: '/api/health', headers: { authorization: `Bearer ${token}` } });
    expect(bearer.statusCode).toBe(200);
  });
});
