import { randomUUID } from 'node:crypto';
import type { Snapshot } from '@lab/model';
import { Partitioners } from 'kafkajs';
import { createKafka } from '../server/src/kafka/client.js';
import { type BenchEnv, type Row, sleep } from './env.js';

const PIPELINE = (rate: number) => ({
  version: 1,
  name: 'bench pipeline',
  nodes: [
    { id: 'src', kind: 'source', ratePerSec: rate / 2, payload: { n: { kind: 'sequence' } } },
    { id: 'src2', kind: 'source', ratePerSec: rate / 2, payload: { n: { kind: 'sequence' } } },
    { id: 'in', kind: 'topic', partitions: 6 },
    { id: 'enrich', kind: 'service', processingMs: 0, concurrency: 12, instances: 2 },
    { id: 'out', kind: 'topic', partitions: 6 },
    { id: 'store', kind: 'service', processingMs: 0, concurrency: 12, instances: 2 },
  ],
  links: [
    { id: 'p1', kind: 'produce', from: 'src', to: 'in' },
    { id: 'p1b', kind: 'produce', from: 'src2', to: 'in' },
    { id: 'c1', kind: 'consume', from: 'in', to: 'enrich' },
    { id: 'p2', kind: 'produce', from: 'enrich', to: 'out' },
    { id: 'c2', kind: 'consume', from: 'out', to: 'store' },
  ],
});

/** The highest rate the lab's source → topic → service → topic → service pipeline sustains (≥ 95% delivered, lag bounded). */
async function labPipeline(env: BenchEnv): Promise<number> {
  let best = 0;
  for (const rate of [1_000, 2_000, 4_000, 6_000, 8_000, 10_000]) {
    await env.api('POST', '/api/reset');
    await env.api('PUT', '/api/topology', PIPELINE(rate));
    await env.api('POST', '/api/run');
    await sleep(10_000); // warm up: both instances joined, the first rebalances over
    const first = await env.api<Snapshot>('GET', '/api/state');
    const t0 = Date.now();
    await sleep(10_000);
    const last = await env.api<Snapshot>('GET', '/api/state');
    const delivered =
      (((last.nodes.store?.processed ?? 0) - (first.nodes.store?.processed ?? 0)) / (Date.now() - t0)) * 1000;
    const lag = last.links.c2?.lag ?? 0;
    await env.api('POST', '/api/stop');
    console.log(`  lab pipeline at ${rate} ev/s: last service ${delivered.toFixed(0)} ev/s, lag ${lag}`);
    if (delivered < rate * 0.95 || lag > rate) break;
    best = delivered;
  }
  await env.api('POST', '/api/reset');
  return best;
}

/** Plain kafkajs on the same broker: one producer sending batches of 500 as fast as acks come, one consumer group. */
async function plainKafkajs(env: BenchEnv): Promise<number> {
  const kafka = createKafka([env.broker.bootstrap], 'bench-baseline');
  const topic = `bench.baseline.${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  const consumer = kafka.consumer({ groupId: `bench.baseline.${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let consumed = 0;
  await consumer.run({ partitionsConsumedConcurrently: 6, eachMessage: async () => void consumed++ });
  await sleep(3_000);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const value = JSON.stringify({ id: randomUUID(), type: 'event', payload: { n: 1 } });
  const durationMs = 10_000;
  const end = Date.now() + durationMs;
  const startConsumed = consumed;
  const started = Date.now();
  while (Date.now() < end) {
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 500 }, (_, i) => ({ key: String(i), value })),
    });
  }
  const rate = ((consumed - startConsumed) / (Date.now() - started)) * 1000;
  await producer.disconnect();
  await consumer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  console.log(`  plain kafkajs producer → consumer: ${rate.toFixed(0)} ev/s consumed`);
  return rate;
}

export async function throughput(env: BenchEnv): Promise<Row> {
  const baseline = await plainKafkajs(env);
  const lab = await labPipeline(env);
  return {
    measure: 'Pipeline throughput (source → topic → service → topic → service)',
    lab: `${Math.round(lab).toLocaleString('en-US')} ev/s`,
    baseline: `${Math.round(baseline).toLocaleString('en-US')} ev/s (plain kafkajs producer → consumer)`,
    ratio: `${(lab / baseline).toFixed(2)}×`,
    note: 'highest tried rate with ≥ 95% reaching the last service and bounded lag',
  };
}
