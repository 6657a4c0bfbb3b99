import { randomUUID } from 'node:crypto';
import { HEADERS, LIMITS, type Snapshot } from '@lab/model';
import { createKafka, plainProducer } from '../server/src/kafka/client.js';
import { type BenchEnv, type Row, sleep } from './env.js';

/** The lab's sources make at most this much together (a quota of the model); beyond it a feeder adds the rest. */
const SOURCES_MAX = LIMITS.totalRatePerSec;

const PIPELINE = (sourcesRate: number) => ({
  version: 1,
  name: 'bench pipeline',
  nodes: [
    { id: 'src', kind: 'source', ratePerSec: sourcesRate / 2, payload: { n: { kind: 'sequence' } } },
    { id: 'src2', kind: 'source', ratePerSec: sourcesRate / 2, payload: { n: { kind: 'sequence' } } },
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

/** Source rates tried in turn, up to the first the pipeline cannot carry (plain kafkajs moves 35–60k ev/s here). */
const RATES = [
  1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 10_000, 12_000, 14_000, 16_000, 20_000, 25_000, 30_000,
  40_000, 50_000,
];

/**
 * Above the sources' quota: a plain kafkajs producer writing lab events (the headers a source writes) into the
 * pipeline's first topic at `perSecond`, in a batch every 50 ms as a source does. Stops when `stop` is called.
 */
function feed(env: BenchEnv, perSecond: number): () => Promise<void> {
  if (perSecond <= 0) return async () => {};
  const kafka = createKafka([env.broker.bootstrap], 'bench-feeder');
  const producer = plainProducer(kafka);
  let running = true;
  const done = (async () => {
    await producer.connect();
    const started = Date.now();
    let sent = 0;
    while (running) {
      const due = Math.floor(((Date.now() - started) / 1000) * perSecond) - sent;
      if (due > 0) {
        const now = String(Date.now());
        const messages = Array.from({ length: due }, (_, i) => {
          const id = randomUUID();
          return {
            key: null,
            value: JSON.stringify({ id, type: 'event', payload: { n: sent + i } }),
            headers: {
              [HEADERS.traceId]: randomUUID(),
              [HEADERS.eventId]: id,
              [HEADERS.originTime]: now,
              [HEADERS.origin]: 'feeder',
              [HEADERS.hops]: '0',
            },
          };
        });
        await producer.send({ topic: 'bench.in', acks: -1, messages });
        sent += due;
      }
      await sleep(50);
    }
    await producer.disconnect();
  })();
  return async () => {
    running = false;
    await done;
  };
}

/**
 * The highest rate the lab's source → topic → service → topic → service pipeline sustains (≥ 95% delivered,
 * lag bounded), and the sources' own rate at it.
 */
async function labPipeline(env: BenchEnv): Promise<{ rate: number; sources: number }> {
  let best = { rate: 0, sources: 0 };
  for (const rate of RATES) {
    const sourcesRate = Math.min(rate, SOURCES_MAX);
    await env.api('POST', '/api/reset');
    await env.api('PUT', '/api/topology', PIPELINE(sourcesRate));
    await env.api('POST', '/api/run');
    const stopFeeding = feed(env, rate - sourcesRate);
    await sleep(10_000); // warm up: both instances joined, the first rebalances over
    const first = await env.api<Snapshot>('GET', '/api/state');
    const t0 = Date.now();
    await sleep(10_000);
    const last = await env.api<Snapshot>('GET', '/api/state');
    const seconds = (Date.now() - t0) / 1000;
    const delivered = ((last.nodes.store?.processed ?? 0) - (first.nodes.store?.processed ?? 0)) / seconds;
    const made =
      ['src', 'src2'].reduce(
        (sum, id) => sum + (last.nodes[id]?.processed ?? 0) - (first.nodes[id]?.processed ?? 0),
        0,
      ) / seconds;
    const lag = last.links.c2?.lag ?? 0;
    await stopFeeding();
    await env.api('POST', '/api/stop');
    console.log(
      `  lab pipeline at ${rate} ev/s (sources ${sourcesRate}, feeder ${rate - sourcesRate}): sources made ${made.toFixed(0)} ev/s, last service ${delivered.toFixed(0)} ev/s, lag ${lag}`,
    );
    if (delivered < rate * 0.95 || lag > rate) break;
    best = { rate: delivered, sources: made };
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
  const producer = plainProducer(kafka);
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

/** The five headers every lab event carries (what a source writes), for the plain baselines. */
function labHeaders(eventId: string, hops: number) {
  return {
    [HEADERS.traceId]: randomUUID(),
    [HEADERS.eventId]: eventId,
    [HEADERS.originTime]: String(Date.now()),
    [HEADERS.origin]: 'plain',
    [HEADERS.hops]: String(hops),
  };
}

/**
 * Plain kafkajs in the pipeline's own shape: a producer (batches of 500, the five lab headers) → topic →
 * a group that forwards each batch to a second topic and commits after the send → a group that counts. It
 * separates what the shape costs (two hops, every event encoded and decoded twice, on the broker's two cores)
 * from what the lab adds (per-event work, order, telemetry, the ledger).
 */
async function plainPipeline(env: BenchEnv): Promise<number> {
  const kafka = createKafka([env.broker.bootstrap], 'bench-plain-pipeline');
  const run = randomUUID();
  const [first, second] = [`bench.plain.in.${run}`, `bench.plain.out.${run}`];
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [first, second].map((topic) => ({ topic, numPartitions: 6 })),
    waitForLeaders: true,
  });
  const forwarder = plainProducer(kafka);
  await forwarder.connect();
  const middle = kafka.consumer({ groupId: `bench.plain.middle.${run}`, maxWaitTimeInMs: 100 });
  await middle.connect();
  await middle.subscribe({ topic: first, fromBeginning: true });
  await middle.run({
    partitionsConsumedConcurrently: 6,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      await forwarder.send({
        topic: second,
        acks: -1,
        messages: batch.messages.map((m) => ({
          key: m.key,
          value: m.value,
          headers: labHeaders(String(m.headers?.[HEADERS.eventId] ?? ''), 1),
        })),
      });
      resolveOffset(batch.lastOffset());
      await heartbeat();
    },
  });
  let consumed = 0;
  const last = kafka.consumer({ groupId: `bench.plain.last.${run}`, maxWaitTimeInMs: 100 });
  await last.connect();
  await last.subscribe({ topic: second, fromBeginning: true });
  await last.run({
    partitionsConsumedConcurrently: 6,
    eachBatch: async ({ batch }) => {
      consumed += batch.messages.length;
    },
  });
  await sleep(3_000);
  const producer = plainProducer(kafka);
  await producer.connect();
  const value = JSON.stringify({ id: randomUUID(), type: 'event', payload: { n: 1 } });
  const end = Date.now() + 10_000;
  const startConsumed = consumed;
  const started = Date.now();
  while (Date.now() < end) {
    await producer.send({
      topic: first,
      acks: -1,
      messages: Array.from({ length: 500 }, (_, i) => ({
        key: String(i),
        value,
        headers: labHeaders(randomUUID(), 0),
      })),
    });
  }
  const rate = ((consumed - startConsumed) / (Date.now() - started)) * 1000;
  await Promise.all([producer.disconnect(), forwarder.disconnect(), middle.disconnect(), last.disconnect()]);
  await admin.deleteTopics({ topics: [first, second] });
  await admin.disconnect();
  console.log(
    `  plain kafkajs pipeline (producer → topic → forwarder → topic → consumer): ${rate.toFixed(0)} ev/s at the end`,
  );
  return rate;
}

const perSecond = (rate: number) => `${Math.round(rate).toLocaleString('en-US')} ev/s`;

export async function throughput(env: BenchEnv): Promise<Row[]> {
  const baseline = await plainKafkajs(env);
  const shaped = await plainPipeline(env);
  const lab = await labPipeline(env);
  const measure = 'Pipeline throughput (source → topic → service → topic → service)';
  const note = `highest tried rate with ≥ 95% reaching the last service and bounded lag; the lab's sources made ${perSecond(lab.sources)} of it (their quota is ${SOURCES_MAX.toLocaleString('en-US')} ev/s), a plain producer the rest`;
  return [
    {
      measure,
      lab: perSecond(lab.rate),
      baseline: `${perSecond(baseline)} (plain kafkajs producer → consumer)`,
      ratio: `${(lab.rate / baseline).toFixed(2)}×`,
      note,
    },
    {
      measure: `${measure}, against the same shape`,
      lab: perSecond(lab.rate),
      baseline: `${perSecond(shaped)} (plain kafkajs: producer → topic → forwarding group → topic → group, lab headers)`,
      ratio: `${(lab.rate / shaped).toFixed(2)}×`,
      note: 'what the lab adds over what two hops cost on the same broker',
    },
  ];
}
