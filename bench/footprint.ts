import { readFileSync } from 'node:fs';
import { startServerProcess } from '../server/test/server-process.js';
import { type BenchEnv, type Row, sleep } from './env.js';

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 1024);
}

/** Warm start of the server to ready (its broker already up), and the broker's own ready time. */
export async function startup(env: BenchEnv): Promise<Row[]> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const server = startServerProcess({ KAFKA_BROKERS: env.broker.bootstrap, TOPIC_PREFIX: 'bench.start.' });
    await server.ready;
    times.push(performance.now() - t0);
    server.child.kill('SIGTERM');
    await server.exited;
  }
  const warm = Math.min(...times);
  return [
    {
      measure: 'Warm start to ready (server; broker already running)',
      lab: `${Math.round(warm)} ms`,
      baseline: `${Math.round(env.brokerReadyMs)} ms (local broker: JVM start to first Metadata answer)`,
      ratio: `${(warm / env.brokerReadyMs).toFixed(2)}×`,
      note: 'best of 3; `npm start` adds the build',
    },
  ];
}

/** Server memory (RSS, worker threads included) with 20 services running vs the same server idle. */
export async function footprint(env: BenchEnv): Promise<Row> {
  await env.api('POST', '/api/reset');
  await env.api('PUT', '/api/topology', { version: 1, name: 'empty', nodes: [], links: [] });
  await sleep(1_000);
  const idle = rssMb(env.server.child.pid!);
  const services = Array.from({ length: 20 }, (_, i) => ({ id: `svc${i}`, kind: 'service', processingMs: 2 }));
  await env.api('PUT', '/api/topology', {
    version: 1,
    name: '20 services',
    nodes: [
      { id: 'src', kind: 'source', ratePerSec: 200 },
      { id: 'events', kind: 'topic', partitions: 3 },
      ...services,
    ],
    links: [
      { id: 'p', kind: 'produce', from: 'src', to: 'events' },
      ...services.map((s) => ({ id: `c-${s.id}`, kind: 'consume', from: 'events', to: s.id })),
    ],
  });
  await env.api('POST', '/api/run');
  await sleep(15_000);
  const running = rssMb(env.server.child.pid!);
  await env.api('POST', '/api/stop');
  return {
    measure: 'Server memory with 20 services running (RSS)',
    lab: `${running} MB`,
    baseline: `${idle} MB (same server, nothing running)`,
    ratio: `${(running / idle).toFixed(1)}×`,
    note: `${((running - idle) / 20).toFixed(0)} MB per service instance (worker thread + its Kafka clients)`,
  };
}
