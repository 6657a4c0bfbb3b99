import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { defaults } from '../src/config.js';
import { LocalCluster } from '../src/kafka/cluster.js';
import { createLab, type Lab } from '../src/lab.js';
import { FakeKafka } from './fake-kafka.js';
import { runOn } from './lab-harness.js';

// Three local brokers: replication factor 3, min.insync.replicas 2, acks=all. One dies mid-stream.
describe('a three-broker cluster losing a broker mid-stream', () => {
  let cluster: LocalCluster;
  let lab: Lab;
  beforeAll(async () => {
    cluster = await LocalCluster.start({
      dataDir: mkdtempSync(join(tmpdir(), 'lab-cluster-')),
      cacheDir: process.env.KAFKA_CACHE_DIR || defaults().KAFKA_CACHE_DIR,
      port: 17092,
      heap: '256m',
      say: () => {},
    });
    const kafka = new FakeKafka(cluster.bootstrap);
    lab = createLab({
      brokers: cluster.bootstrap,
      topicPrefix: 'cluster.',
      dataDir: mkdtempSync(join(tmpdir(), 'lab-cluster-data-')),
      kafka,
      lagIntervalMs: 500,
    });
  }, 180_000);
  afterAll(async () => {
    await lab?.close();
    await cluster?.stop();
  });

  // One retry: on a loaded two-core machine a group that lost its coordinator with the broker has once taken
  // longer than the wait to settle. Each attempt starts from three live brokers and a clean namespace.
  it('moves the leadership, keeps producing and consuming, and loses no acknowledged event', {
    retry: 1,
    timeout: 300_000,
  }, async () => {
    const { app, state, until } = await runOn(lab);
    await until(
      'billing processing, leaders known',
      (s) => (s.nodes.billing?.inRate ?? 0) > 30 && (s.topics.orders?.leaders?.length ?? 0) === 3,
    );
    const running = state();

    const leader = running.topics.orders!.leaders![0]!;
    const victim = cluster.nodes[leader - 1]!;
    process.kill(victim.pid!, 'SIGKILL');
    onTestFinished(() => victim.restart().catch(() => {}));
    await until('partition 0 led by another broker', (s) => {
      const now = s.topics.orders?.leaders?.[0];
      return now !== undefined && now !== leader && now !== -1;
    });
    expect(
      lab.log
        .recent()
        .some(
          (e) => e.kind === 'kafka' && /orders partition 0: leader moved from broker \d to broker \d/.test(e.message),
        ),
    ).toBe(true);
    const processed = state().nodes.billing!.processed;
    await until('still processing on two brokers', (s) => s.nodes.billing!.processed > processed + 100, 90_000);

    expect(
      (await app.inject({ method: 'POST', url: '/api/nodes/shop/rate', payload: { perSecond: 0 } })).statusCode,
    ).toBe(200);
    // A broker's death can take the group coordinator with it: the group then finds its new coordinator,
    // rejoins and resumes from its committed offsets, which can take a while on a loaded machine.
    await until(
      'lag 0 and nothing missing',
      (s) => s.links.c?.lag === 0 && s.topics.orders?.groups.billing?.missing === 0,
      150_000,
    ).catch(async (err: Error) => {
      const s = state();
      const delivery = (await app.inject('/api/topics/orders/delivery')).json();
      throw new Error(
        `${err.message}: lag ${s.links.c?.lag}, billing ${s.nodes.billing?.status} at ${s.nodes.billing?.inRate} ev/s, delivery ${JSON.stringify(delivery)}; log: ${lab.log
          .recent(15)
          .map((e) => e.message)
          .join(' | ')}`,
      );
    });
    const delivery = (await app.inject('/api/topics/orders/delivery')).json();
    console.log(
      `cluster: killed broker ${leader}; produced ${delivery.produced}, missing ${delivery.groups.billing.missing}, duplicates ${delivery.groups.billing.duplicates}`,
    );
    expect(delivery.groups.billing.missing).toBe(0);
    await app.close();
  });
});
