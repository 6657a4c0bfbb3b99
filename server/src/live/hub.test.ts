import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerMessage } from '@lab/model';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { EventLog } from '../telemetry/log.js';
import { LiveHub, MAX_BUFFERED_BYTES } from './hub.js';
import { LiveState } from './state.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A hub on a real socket, with a state that changes every few ms and is large, like a busy topology's. */
async function busyHub() {
  const state = new LiveState({ status: 'up', brokers: [], managed: true });
  const log = new EventLog();
  const hub = new LiveHub(state, log, 'test', 10);
  const server = createServer();
  const wss = new WebSocketServer({ server });
  const serverSockets: WebSocket[] = [];
  wss.on('connection', (socket) => {
    serverSockets.push(socket);
    hub.add(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const big = 'x'.repeat(64 * 1024);
  let n = 0;
  const churn = setInterval(() => {
    n++;
    state.setRuntime({
      running: true,
      startedAt: n,
      nodes: {},
      links: {},
      topics: {},
      flows: { [big]: { p50Ms: n, p99Ms: n, completed: n } },
    });
    log.add({ level: 'info', kind: 'run', message: `entry ${n}` });
  }, 5);
  cleanups.push(() => {
    clearInterval(churn);
    hub.close();
    wss.close();
    server.close();
  });
  return { port: (server.address() as AddressInfo).port, serverSockets, state };
}

describe('LiveHub with a browser that stops reading', () => {
  it('keeps what it holds for that browser bounded and sends it the newest state once it reads again', async () => {
    const { port, serverSockets, state } = await busyHub();
    const client = new WebSocket(`ws://127.0.0.1:${port}/live`);
    const received: ServerMessage[] = [];
    client.on('message', (data) => received.push(JSON.parse(String(data))));
    await new Promise((resolve) => client.once('open', resolve));

    // The browser's tab freezes: its socket stops reading while the state changes hundreds of times.
    (client as unknown as { _socket: { pause(): void } })._socket.pause();
    let maxBuffered = 0;
    for (let i = 0; i < 60; i++) {
      await new Promise((r) => setTimeout(r, 50));
      maxBuffered = Math.max(maxBuffered, serverSockets[0]!.bufferedAmount);
    }
    const frameSize = JSON.stringify({ type: 'frame', seq: 0, base: 0, delta: state.snapshot() }).length;
    // Never more than the cap plus the one frame that crossed it (the kernel's buffers hold a little more).
    expect(maxBuffered).toBeLessThanOrEqual(MAX_BUFFERED_BYTES + 2 * frameSize);

    (client as unknown as { _socket: { resume(): void } })._socket.resume();
    const target = state.revision;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no fresh frame after resuming')), 5_000);
      const check = () => {
        const last = received.filter((m) => m.type === 'frame').at(-1);
        if (last && last.type === 'frame' && last.seq >= target) {
          clearTimeout(timer);
          resolve();
        } else setTimeout(check, 20);
      };
      check();
    });
    // Far fewer frames than changes: the ones it could not take were coalesced, not queued.
    const frames = received.filter((m) => m.type === 'frame').length;
    expect(frames).toBeLessThan(state.revision / 2);
    client.close();
  }, 20_000);
});

describe('LiveHub with a hostile client', () => {
  it('ignores malformed and unknown messages, closes on a flood, and keeps serving others', async () => {
    const { port } = await busyHub();
    const open = async () => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/live`, { maxPayload: 100 * 1024 * 1024 });
      await new Promise((resolve) => socket.once('open', resolve));
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      return { socket, closed };
    };

    const polite = await open();
    polite.socket.send('{not json');
    polite.socket.send(JSON.stringify({ type: 'drop-tables' }));
    polite.socket.send(JSON.stringify({ type: 'pong', at: 1 }));
    await new Promise((r) => setTimeout(r, 300));
    expect(polite.socket.readyState).toBe(WebSocket.OPEN);

    const flooder = await open();
    for (let i = 0; i < 200; i++) flooder.socket.send(JSON.stringify({ type: 'pong', at: i }));
    expect(await flooder.closed).toBe(1008);
    expect(polite.socket.readyState).toBe(WebSocket.OPEN);
    polite.socket.close();
  });
});

describe('LiveHub pushes', () => {
  it('sends an urgent change (a status) at once, not at its next tick, as a delta from what the browser has', async () => {
    const state = new LiveState({ status: 'up', brokers: [], managed: true });
    const hub = new LiveHub(state, new EventLog(), 'test', 60_000); // a tick that never comes during the test
    const server = createServer();
    const wss = new WebSocketServer({ server });
    wss.on('connection', (socket) => hub.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      hub.close();
      wss.close();
      server.close();
    });
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/live`);
    const received: ServerMessage[] = [];
    client.on('message', (data) => received.push(JSON.parse(String(data))));
    await new Promise((resolve) => client.once('open', resolve));
    await new Promise((r) => setTimeout(r, 50));
    const snapshot = received.find((m) => m.type === 'snapshot');

    const node = (status: 'running' | 'down') => ({
      status,
      instances: [{ id: 'a-1', status }],
      inRate: 0,
      outRate: 0,
      errorRate: 0,
      inFlight: 0,
      p50Ms: 0,
      p99Ms: 0,
      processed: 0,
      failed: 0,
    });
    const parts = (status: 'running' | 'down') => ({
      running: true,
      nodes: { a: node(status), b: node('running') },
      links: {},
      topics: {},
      flows: {},
    });
    state.setRuntime(parts('running'));
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    state.setRuntime(parts('down'));
    const frame = await new Promise<ServerMessage>((resolve) =>
      client.on('message', (data) => {
        const message = JSON.parse(String(data)) as ServerMessage;
        if (message.type === 'frame' && message.delta.nodes?.a?.status === 'down') resolve(message);
      }),
    );
    expect(Date.now() - t0).toBeLessThan(50);
    // Only the node that changed; the browser's base is the frame before.
    expect(Object.keys(frame.type === 'frame' ? (frame.delta.nodes ?? {}) : {})).toEqual(['a']);
    const frames = received.filter((m) => m.type === 'frame');
    expect(frames[0]!.type === 'frame' && frames[0]!.base).toBe(snapshot?.type === 'snapshot' && snapshot.seq);
    client.close();
  });
});
