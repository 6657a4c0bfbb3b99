import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { createKafka, plainProducer } from '../server/src/kafka/client.js';
import { type BenchEnv, percentile, type Row, sleep } from './env.js';

/** Records, inside the page, when each live message arrives and what it says of one node. */
async function watchNode(page: Page, nodeId: string) {
  await page.addInitScript((id) => {
    const seen: { t: number; processed: number; status: string }[] = [];
    (window as unknown as { __seen: typeof seen }).__seen = seen;
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener('message', (event) => {
          const message = JSON.parse(String(event.data));
          // A snapshot carries every node; a frame's delta carries the nodes that changed, each whole.
          const node = (message.snapshot ?? message.delta)?.nodes?.[id];
          if (node) seen.push({ t: Date.now(), processed: node.processed, status: node.status });
        });
      }
    } as typeof WebSocket;
  }, nodeId);
}

type Wanted = { processedAbove: number } | { status: string };

/** When the page first received a message (after `after`) showing the node as wanted. */
async function firstSeen(page: Page, wanted: Wanted, after: number, timeoutMs = 10_000): Promise<number> {
  const handle = await page.waitForFunction(
    ([want, since]) =>
      (window as unknown as { __seen: { t: number; processed: number; status: string }[] }).__seen.find(
        (e) => e.t >= since && ('status' in want ? e.status === want.status : e.processed > want.processedAbove),
      )?.t,
    [wanted, after] as const,
    { timeout: timeoutMs, polling: 5 },
  );
  return (await handle.jsonValue()) as number;
}

const SINK = {
  version: 1,
  name: 'bench screen',
  nodes: [
    { id: 'in', kind: 'topic', partitions: 1 },
    { id: 'sink', kind: 'service', processingMs: 0 },
  ],
  links: [{ id: 'c', kind: 'consume', from: 'in', to: 'sink' }],
};

/** Event produced → the live frame that shows it processed, received by a Chromium page on the lab. */
export async function eventToScreen(env: BenchEnv): Promise<Row> {
  await env.api('POST', '/api/reset');
  await env.api('PUT', '/api/topology', SINK);
  await env.api('POST', '/api/run');
  const page = await env.browser.newPage();
  await watchNode(page, 'sink');
  await page.goto(env.url);
  await sleep(3_000);

  const kafka = createKafka([env.broker.bootstrap], 'bench-screen');
  const producer = plainProducer(kafka);
  await producer.connect();
  // Baseline: the same event, produced the same way, received by a plain kafkajs consumer.
  const consumer = kafka.consumer({ groupId: `bench.screen.${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'bench.in', fromBeginning: false });
  const received = new Map<string, number>();
  await consumer.run({ eachMessage: async ({ message }) => void received.set(String(message.key), Date.now()) });
  await sleep(3_000);

  const lab: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < 40; i++) {
    const before =
      (await page.evaluate(
        () => (window as unknown as { __seen: { processed: number }[] }).__seen.at(-1)?.processed,
      )) ?? 0;
    const key = randomUUID();
    const t0 = Date.now();
    await producer.send({
      topic: 'bench.in',
      acks: -1,
      messages: [{ key, value: JSON.stringify({ id: key, type: 'marker', payload: {} }) }],
    });
    const t1 = await firstSeen(page, { processedAbove: before }, t0);
    lab.push(t1 - t0);
    const deadline = Date.now() + 5_000;
    while (!received.has(key) && Date.now() < deadline) await sleep(2);
    if (received.has(key)) plain.push(received.get(key)! - t0);
    await sleep(250);
  }
  await consumer.disconnect();
  await producer.disconnect();
  await page.close();
  await env.api('POST', '/api/stop');
  const [p50, p99] = [percentile(lab, 0.5), percentile(lab, 0.99)];
  const [b50, b99] = [percentile(plain, 0.5), percentile(plain, 0.99)];
  return {
    measure: 'Event-to-screen latency p50 / p99',
    lab: `${p50} / ${p99} ms`,
    baseline: `${b50} / ${b99} ms (plain kafkajs consumer receives it)`,
    ratio: `${(p50 / Math.max(1, b50)).toFixed(1)}× / ${(p99 / Math.max(1, b99)).toFixed(1)}×`,
    note: '40 single events; the lab adds processing, telemetry and the ~100 ms frame cadence',
  };
}

/** Crash request → the frame showing the service down, received by the page; baseline: the request's own round trip. */
export async function killToScreen(env: BenchEnv): Promise<Row> {
  await env.api('POST', '/api/reset');
  await env.api('PUT', '/api/topology', SINK);
  await env.api('POST', '/api/run');
  const page = await env.browser.newPage();
  await watchNode(page, 'sink');
  await page.goto(env.url);
  await sleep(2_000);
  const screen: number[] = [];
  const request: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = Date.now();
    await env.api('POST', '/api/nodes/sink/actions', { action: 'crash' });
    request.push(Date.now() - t0);
    screen.push((await firstSeen(page, { status: 'down' }, t0)) - t0);
    await env.api('POST', '/api/nodes/sink/actions', { action: 'revive' });
    await firstSeen(page, { status: 'running' }, Date.now(), 20_000);
    await sleep(300);
  }
  await page.close();
  await env.api('POST', '/api/stop');
  const p50 = percentile(screen, 0.5);
  const r50 = percentile(request, 0.5);
  return {
    measure: 'Kill-to-screen latency p50 / p99',
    lab: `${p50} / ${percentile(screen, 0.99)} ms`,
    baseline: `${r50} ms (the crash request's own round trip, p50)`,
    ratio: `${(p50 / Math.max(1, r50)).toFixed(1)}×`,
  };
}
