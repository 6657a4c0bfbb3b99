import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaults } from '../src/config.js';
import { LocalBroker } from '../src/kafka/broker.js';
import { KafkaMonitor } from '../src/kafka/monitor.js';
import { createLab, type Lab } from '../src/lab.js';
import { runOn } from './lab-harness.js';

// A broker of its own, so killing it disturbs no other test.
describe('the broker SIGKILLed mid-run', () => {
  let broker: LocalBroker;
  let lab: Lab;
  let monitor: KafkaMonitor;
  beforeAll(async () => {
    broker = await LocalBroker.start({
      dataDir: mkdtempSync(join(tmpdir(), 'lab-kill-')),
      cacheDir: process.env.KAFKA_CACHE_DIR || defaults().KAFKA_CACHE_DIR,
      port: 18092,
      heap: '384m',
      say: () => {},
    });
    monitor = new KafkaMonitor([broker.bootstrap], true, undefined, 500);
    monitor.start();
    lab = createLab({
      brokers: [broker.bootstrap],
      topicPrefix: 'kill.',
      dataDir: mkdtempSync(join(tmpdir(), 'lab-kill-data-')),
      kafka: monitor,
      lagIntervalMs: 500,
    });
  });
  afterAll(async () => {
    await lab.close();
    monitor.stop();
    await broker.stop();
  });

  it('keeps the server up, shows Kafka down within 5 s, resumes after the restart, and loses nothing acknowledged', async () => {
    const { app, until } = await runOn(lab);
    await until('billing processing', (s) => (s.nodes.billing?.inRate ?? 0) > 30);

    const killedAt = Date.now();
    process.kill(broker.pid!, 'SIGKILL');
    await until('Kafka shown down', (s) => s.kafka.status === 'down', 10_000);
    const downAfter = Date.now() - killedAt;
    expect(downAfter).toBeLessThan(5_000);
    expect((await app.inject('/api/health')).json()).toMatchObject({ ok: false, kafka: { status: 'down' } });
    expect(lab.log.recent().some((e) => e.kind === 'kafka' && e.level === 'error')).toBe(true);

    await new Promise((r) => setTimeout(r, 3_000)); // producers and consumers retry against nothing for a while
    await broker.restart();
    await until('Kafka up again', (s) => s.kafka.status === 'up', 30_000);
    await until('billing processing again', (s) => (s.nodes.billing?.inRate ?? 0) > 30, 90_000);

    expect(
      (await app.inject({ method: 'POST', url: '/api/nodes/shop/rate', payload: { perSecond: 0 } })).statusCode,
    ).toBe(200);
    await until(
      'lag 0 and nothing missing',
      (s) => s.links.c?.lag === 0 && s.topics.orders?.groups.billing?.missing === 0,
      90_000,
    );
    const delivery = (await app.inject('/api/topics/orders/delivery')).json();
    console.log(
      `broker kill: Kafka shown down after ${downAfter} ms; produced ${delivery.produced}, missing ${delivery.groups.billing.missing}, duplicates ${delivery.groups.billing.duplicates}`,
    );
    expect(delivery.groups.billing.missing).toBe(0);
    await app.close();
  }, 240_000);
});
