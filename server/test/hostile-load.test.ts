import { Agent, get, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { LIMITS, type Snapshot, type TopologyDocument } from '@lab/model';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { percentile } from '../../bench/env.js';
import { type ServerProcess, startServerProcess, waitFor } from './server-process.js';

/**
 * One attendee's mischief must not reach another: a normal topology runs while a mixed hostile load (bounded,
 * loopback only) hits the same lab server, a separate process as `npm start` runs it. The rates the normal
 * topology reaches stay within 10% of an undisturbed window measured first in the same test, /api/health
 * answers with p99 under 100 ms, no saved document and no acknowledged event is lost, nothing answers 5xx.
 * `npm test` runs HOSTILE_SECONDS=20 of it; `npm run hostile` runs the full two minutes. 20 s is enough to
 * compare rates: the sources are rate-limited and every measured run read the same rate in both windows to
 * within 0.2% (docs/design/suite-speed.md), fifty times less than the 10% a starved service would exceed.
 */
const SECONDS = Number(process.env.HOSTILE_SECONDS ?? 20);
const QUIET_SECONDS = Math.min(SECONDS, 30);

const normal = (edit: number): TopologyDocument => ({
  version: 1,
  name: 'normal shop',
  nodes: [
    {
      id: 'shop',
      kind: 'source',
      ratePerSec: 150,
      payload: { orderId: { kind: 'id' } },
      keyField: 'orderId',
      label: `Shop (edit ${edit})`,
    },
    { id: 'web', kind: 'source', ratePerSec: 30 },
    {
      id: 'orders',
      kind: 'topic',
      partitions: 3,
      schema: {
        type: 'object',
        required: ['orderId'],
        properties: { orderId: { type: 'string', pattern: '^[0-9a-f]{8}$' } },
      },
    },
    { id: 'billed', kind: 'topic', partitions: 3 },
    { id: 'billing', kind: 'service', processingMs: 2 },
    { id: 'ledger', kind: 'service', processingMs: 1 },
    { id: 'gateway', kind: 'service', processingMs: 2 },
  ],
  links: [
    { id: 'shop-orders', kind: 'produce', from: 'shop', to: 'orders' },
    { id: 'orders-billing', kind: 'consume', from: 'orders', to: 'billing' },
    { id: 'billing-billed', kind: 'produce', from: 'billing', to: 'billed' },
    { id: 'billed-ledger', kind: 'consume', from: 'billed', to: 'ledger' },
    { id: 'web-gateway', kind: 'call', from: 'web', to: 'gateway', timeoutMs: 1000 },
  ],
});
const MEASURED = ['billing', 'ledger', 'gateway'] as const;

let server: ServerProcess;
let url: string;
beforeAll(async () => {
  server = startServerProcess({ KAFKA_BROKERS: inject('kafkaBrokers'), TOPIC_PREFIX: 'hostile.' });
  url = await server.ready;
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

const json = { 'content-type': 'application/json' };
const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: method === 'GET' ? {} : json,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const state = async () => (await api('GET', '/api/state')).body as unknown as Snapshot;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Events each measured service finished per second over a window, from the lab's own counters. */
async function rates(seconds: number): Promise<Record<string, number>> {
  const before = await state();
  const started = Date.now();
  await sleep(seconds * 1000);
  const after = await state();
  const elapsed = (Date.now() - started) / 1000;
  return Object.fromEntries(
    MEASURED.map((id) => [id, (after.nodes[id]!.processed - before.nodes[id]!.processed) / elapsed]),
  );
}

/**
 * /api/health every 100 ms until `until` says stop: its latencies in ms. On connections of its own, as a
 * monitor's would be (the attacks' connections are closed by the server after an over-size body).
 */
async function probeHealth(until: () => boolean): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  while (!until()) {
    const started = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      get(`${url}/api/health`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      }).on('error', reject);
    });
    expect(status).toBe(200);
    latencies.push(performance.now() - started);
    await sleep(100);
  }
  agent.destroy();
  return latencies;
}

/** The hostile mix: each attack a loop of one request at a time; outcomes counted by attack and status. */
function hostileLoad(until: () => boolean) {
  const outcomes: Record<string, Record<number, number>> = {};
  const count = (attack: string, status: number) => {
    outcomes[attack] ??= {};
    outcomes[attack][status] = (outcomes[attack][status] ?? 0) + 1;
  };
  // The attacks on connections of their own: the server closes a connection after a 413 or 431, and the
  // learner's own requests (fetch's pool) must not be the ones that find it closed.
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const send = (
    attack: string,
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ) =>
    new Promise<void>((resolve) => {
      const req = request(`${url}${path}`, { method: init.method ?? 'GET', headers: init.headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(count(attack, res.statusCode ?? 0)));
        res.on('error', () => resolve(count(attack, 0)));
      });
      req.on('error', () => resolve(count(attack, 0)));
      req.end(init.body);
    });
  const loop = async (fn: () => Promise<void>) => {
    while (!until()) await fn();
  };
  const depth = 45_000;
  const deep = `{"version":1,"name":"deep","nodes":[{"id":"orders","kind":"topic","schema":${'{"items":'.repeat(depth)}{}${'}'.repeat(depth)}}],"links":[]}`;
  const huge = JSON.stringify({ ...normal(0), name: 'x'.repeat(LIMITS.documentBytes) });
  const otherPort = `http://127.0.0.1:${Number(new URL(url).port) + 1}`;
  const attacks = [
    loop(() => send('deep schema', '/api/topology', { method: 'PUT', headers: json, body: deep })),
    loop(() => send('over-size document', '/api/topology', { method: 'PUT', headers: json, body: huge })),
    loop(() =>
      send('unsupported schema', '/api/topology', {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({
          ...normal(0),
          nodes: [{ id: 'orders', kind: 'topic', schema: { $ref: 'http://127.0.0.1:1/x', pattern: '(a)\\1' } }],
          links: [],
        }),
      }),
    ),
    loop(() =>
      send('CSRF from another port', '/api/reset', {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin: otherPort },
        body: '{}',
      }),
    ),
    loop(() =>
      send('CSRF as JSON', '/api/stop', { method: 'POST', headers: { ...json, origin: otherPort }, body: '{}' }),
    ),
    loop(() =>
      send('not JSON', '/api/run', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'run' }),
    ),
    loop(() =>
      send('built-in ids', '/api/nodes/__proto__/actions', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ action: 'crash' }),
      }),
    ),
    loop(() => send('built-in topic', '/api/topics/constructor/messages?limit=500')),
    loop(() => send('state flood', '/api/state')),
    loop(() => send('messages flood', '/api/topics/orders/messages?limit=500')),
    loop(
      () =>
        new Promise<void>((resolve) => {
          // fetch sets Host itself; node:http sends the one given (DNS rebinding).
          get(`${url}/api/health`, { headers: { host: 'evil.example' }, agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(count('foreign Host', res.statusCode ?? 0)));
          }).on('error', () => resolve(count('foreign Host', 0)));
        }),
    ),
    loop(() => send('header flood', '/api/health', { headers: { 'x-junk': 'j'.repeat(20_000) } })),
  ];

  // Live connections that never read (their frames must coalesce, not queue), and one that floods.
  const sockets: WebSocket[] = [];
  const openSockets = async () => {
    while (!until()) {
      while (sockets.length < 20) {
        const socket = new WebSocket(`${url.replace('http', 'ws')}/live`);
        socket.on('open', () => socket.pause());
        socket.on('error', () => {});
        sockets.push(socket);
      }
      const flooder = new WebSocket(`${url.replace('http', 'ws')}/live`);
      flooder.on('error', () => {});
      await new Promise<void>((resolve) => {
        flooder.on('open', () => {
          for (let i = 0; i < 200; i++) flooder.send('{"type":"pong","at":1}');
        });
        flooder.on('close', (code) => {
          count('websocket flood', code);
          resolve();
        });
        setTimeout(resolve, 3_000);
      });
      flooder.terminate();
      await sleep(500);
    }
    for (const socket of sockets) socket.terminate();
  };
  // Slowloris: connections that send a request one byte at a time, far slower than any client.
  const slow: Socket[] = [];
  const slowloris = async () => {
    const port = Number(new URL(url).port);
    while (!until()) {
      while (slow.length < 30) {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => {});
        socket.on('close', () => slow.splice(slow.indexOf(socket), 1));
        socket.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
        slow.push(socket);
      }
      for (const socket of slow) socket.write('X');
      await sleep(1_000);
    }
    for (const socket of [...slow]) socket.destroy();
  };
  const done = Promise.all([...attacks, openSockets(), slowloris()]).finally(() => agent.destroy());
  return { done, outcomes };
}

describe(`hostile load (${SECONDS} s) against a running topology`, () => {
  it(
    'keeps the rates, health answers fast, nothing saved or acknowledged is lost, no 5xx',
    async () => {
      expect((await api('PUT', '/api/topology', normal(0))).status).toBe(200);
      expect((await api('POST', '/api/run')).status).toBe(200);
      await waitFor(
        async () => {
          const s = await state();
          return (
            MEASURED.every((id) => (s.nodes[id]?.inRate ?? 0) > 10) && s.links['orders-billing']?.lag !== undefined
          );
        },
        60_000,
        'the normal topology flowing',
      );
      // Past the first rebalance and its backlog: both windows must measure the steady state, not a catch-up.
      await waitFor(
        async () => {
          const s = await state();
          return (s.links['orders-billing']?.lag ?? 1e9) < 50 && (s.links['billed-ledger']?.lag ?? 1e9) < 50;
        },
        60_000,
        'the groups keeping up',
      );
      await sleep(3_000);

      let quietDone = false;
      const quietHealth = probeHealth(() => quietDone);
      const quiet = await rates(QUIET_SECONDS);
      quietDone = true;
      const quietLatencies = await quietHealth;

      // The hostile phase, with the learner editing their topology as they would (a label every 3 s).
      let hostileDone = false;
      const stop = () => hostileDone;
      const hostile = hostileLoad(stop);
      const health = probeHealth(stop);
      let acknowledged = 0;
      const editor = (async () => {
        for (let edit = 1; !hostileDone; edit++) {
          await sleep(3_000);
          const res = await api('PUT', '/api/topology', normal(edit));
          expect(res.status).toBe(200);
          acknowledged = edit;
        }
      })();
      await sleep(2_000); // the attacks under way before measuring
      const underAttack = await rates(SECONDS - 2);
      hostileDone = true;
      const [latencies] = await Promise.all([health, hostile.done, editor]);

      // Then every acknowledged event must reach every group that reads its topic.
      await api('POST', '/api/nodes/shop/rate', { perSecond: 0 });
      await api('POST', '/api/nodes/web/rate', { perSecond: 0 });
      await waitFor(
        async () => {
          const s = await state();
          return s.links['orders-billing']?.lag === 0 && s.links['billed-ledger']?.lag === 0;
        },
        60_000,
        'every group caught up',
      );
      // The lag in a snapshot is as old as the last offset poll, the delivery ledger is current: an event
      // produced just before the rates went to 0 can be pending for a moment after the lag read 0. Pending
      // settles within seconds; an event really lost never does.
      type Delivery = { status: number; body: Record<string, unknown> };
      let deliveries: Delivery[] = [];
      const settled = () =>
        deliveries.every((d) =>
          Object.values(d.body.groups as Record<string, { missing: number }>).every((g) => g.missing === 0),
        );
      await waitFor(
        async () => {
          deliveries = await Promise.all(['orders', 'billed'].map((t) => api('GET', `/api/topics/${t}/delivery`)));
          return settled();
        },
        15_000,
        'every acknowledged event finished by every group',
      ).catch(() => {}); // the report below says which ones, and the expectations fail on them
      const saved = (await api('GET', '/api/topology')).body as { nodes: { id: string; label: string }[] };

      const p99 = percentile(latencies, 0.99);
      console.log(
        [
          `hostile load ${SECONDS} s (undisturbed window ${QUIET_SECONDS} s), ${latencies.length} health probes`,
          ...MEASURED.map(
            (id) =>
              `  ${id}: ${quiet[id]!.toFixed(1)} ev/s undisturbed, ${underAttack[id]!.toFixed(1)} ev/s under attack`,
          ),
          `  /api/health p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (undisturbed p99 ${percentile(quietLatencies, 0.99).toFixed(1)} ms)`,
          `  edits acknowledged ${acknowledged}, saved label "${saved.nodes[0]?.label}"`,
          ...deliveries.map((d) => `  delivery ${JSON.stringify(d.body)}`),
          `  attacks: ${JSON.stringify(hostile.outcomes)}`,
        ].join('\n'),
      );

      for (const id of MEASURED) expect(Math.abs(underAttack[id]! - quiet[id]!) / quiet[id]!, id).toBeLessThan(0.1);
      expect(p99).toBeLessThan(100);
      expect(acknowledged).toBeGreaterThan(0);
      expect(saved.nodes[0]?.label).toBe(`Shop (edit ${acknowledged})`);
      for (const delivery of deliveries) {
        for (const group of Object.values(delivery.body.groups as Record<string, { missing: number }>))
          expect(group.missing).toBe(0);
      }
      for (const [attack, statuses] of Object.entries(hostile.outcomes)) {
        for (const status of Object.keys(statuses).map(Number))
          expect(status >= 500 && status < 600, `${attack} answered ${status}`).toBe(false);
      }
      expect(server.child.exitCode).toBeNull();
      // The quiet window, the attack and the drain: the integration default (120 s) is shorter than `npm run hostile`.
    },
    (QUIET_SECONDS + SECONDS) * 1000 + 90_000,
  );
});
