import { readFileSync } from 'node:fs';
import { startServerProcess } from '../server/test/server-process.js';
import { apiOf, type BenchEnv, type Row, sleep } from './env.js';

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

/** CPU time (user + system) used so far, in ms: of the whole process, or of one of its threads. */
function cpuMs(pid: number, tid?: number): number {
  // Fields 14 and 15 of /proc/…/stat, in clock ticks (100 a second); the name (field 2) may hold spaces.
  const path = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
  const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Share of one core the process uses over `ms`, in percent: in all, and on its main thread (HTTP, telemetry,
 * lag reads, snapshots: costs that grow with nodes and groups); the rest is the instance host threads.
 */
async function cpuPercent(pid: number, ms: number): Promise<{ all: number; main: number }> {
  const before = { all: cpuMs(pid), main: cpuMs(pid, pid) };
  await sleep(ms);
  return { all: ((cpuMs(pid) - before.all) / ms) * 100, main: ((cpuMs(pid, pid) - before.main) / ms) * 100 };
}

/** One source and services of up to 4 instances each (one group per service), `instances` in all. */
function fleet(instances: number, ratePerSec: number) {
  const services: { id: string; kind: string; processingMs: number; instances: number }[] = [];
  for (let left = instances - 1, i = 0; left > 0; left -= 4, i++)
    services.push({ id: `svc${i}`, kind: 'service', processingMs: 2, instances: Math.min(4, left) });
  return {
    version: 1,
    name: `${instances} instances`,
    nodes: [{ id: 'src', kind: 'source', ratePerSec }, { id: 'events', kind: 'topic', partitions: 4 }, ...services],
    links: [
      { id: 'p', kind: 'produce', from: 'src', to: 'events' },
      ...services.map((s) => ({ id: `c-${s.id}`, kind: 'consume', from: 'events', to: s.id })),
    ],
  };
}

/** The 20 services the lab was first measured with (21 instances with the source). */
function twentyServices() {
  const services = Array.from({ length: 20 }, (_, i) => ({ id: `svc${i}`, kind: 'service', processingMs: 2 }));
  return {
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
  };
}

interface Measured {
  idle: number;
  rss: number;
  idleCpu: { all: number; main: number };
  restCpu: { all: number; main: number };
  up: number;
  startMs: number;
}

/**
 * A fresh server (memory only grows, so each figure gets its own), idle first, then running `topology`:
 * RSS after 15 s, then CPU over 10 s with the source at 0 ev/s (every instance at rest).
 */
async function measure(env: BenchEnv, topology: object): Promise<Measured> {
  const server = startServerProcess({ KAFKA_BROKERS: env.broker.bootstrap, TOPIC_PREFIX: 'bench.fp.' });
  const api = apiOf(await server.ready);
  const pid = server.child.pid!;
  try {
    await api('POST', '/api/reset');
    await sleep(3_000);
    const idle = rssMb(pid);
    const idleCpu = await cpuPercent(pid, 5_000);
    await api('PUT', '/api/topology', topology);
    const t0 = performance.now();
    await api('POST', '/api/run');
    const startMs = performance.now() - t0;
    await sleep(15_000);
    const state = await api<{ nodes: Record<string, { instances: { status: string }[] }> }>('GET', '/api/state');
    const up = Object.values(state.nodes).reduce(
      (sum, node) => sum + node.instances.filter((i) => i.status !== 'down').length,
      0,
    );
    const rss = rssMb(pid);
    await api('POST', '/api/nodes/src/rate', { perSecond: 0 });
    await sleep(3_000);
    const restCpu = await cpuPercent(pid, 10_000);
    await api('POST', '/api/stop');
    return { idle, rss, idleCpu, restCpu, up, startMs };
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

/**
 * Server memory (RSS, every thread) and CPU: with the 20 services at 200 ev/s the lab was first measured with,
 * then with 20, 100 and 300 instances (`BENCH_FLEETS`) under light traffic, each against the same server idle
 * just before. Per instance = (running − idle) / instances, host threads included; the slope between two
 * fleets is what one more instance costs once the host threads exist.
 */
export async function footprint(env: BenchEnv): Promise<Row[]> {
  const rows: Row[] = [];
  const first = await measure(env, twentyServices());
  rows.push({
    measure: 'Server memory with 20 services running at 200 ev/s (RSS)',
    lab: `${first.rss} MB`,
    baseline: `${first.idle} MB (same server, nothing running)`,
    ratio: `${(first.rss / first.idle).toFixed(1)}×`,
    note: `${((first.rss - first.idle) / 21).toFixed(1)} MB per instance (21: 20 services and the source; host threads included)`,
  });
  const fleets = (process.env.BENCH_FLEETS ?? '20,100,300').split(',').map(Number);
  let previous: { n: number; delta: number } | undefined;
  for (const n of fleets) {
    const m = await measure(env, fleet(n, 20));
    const delta = m.rss - m.idle;
    const slope = previous
      ? `; ${((delta - previous.delta) / (n - previous.n)).toFixed(2)} MB per instance from ${previous.n} to ${n}`
      : '';
    previous = { n, delta };
    rows.push({
      measure: `Server memory with ${n} instances (RSS; 20 ev/s through ${Math.ceil((n - 1) / 4)} groups)`,
      lab: `${m.rss} MB`,
      baseline: `${m.idle} MB (same server idle)`,
      ratio: `${(m.rss / m.idle).toFixed(1)}×`,
      note: `${(delta / n).toFixed(2)} MB per instance${slope}; ${m.up} of ${n} up; run answered in ${Math.round(m.startMs)} ms`,
    });
    const hosts = m.restCpu.all - m.restCpu.main - (m.idleCpu.all - m.idleCpu.main);
    rows.push({
      measure: `Server CPU with ${n} instances at rest (source at 0 ev/s)`,
      lab: `${m.restCpu.all.toFixed(1)}% of a core (main thread ${m.restCpu.main.toFixed(1)}%)`,
      baseline: `${m.idleCpu.all.toFixed(1)}% (same server idle)`,
      ratio: '',
      note: `${((m.restCpu.all - m.idleCpu.all) / n).toFixed(3)}% of a core per instance at rest, of which the host threads (each instance's fetches and heartbeats) ${(hosts / n).toFixed(3)}%; the main thread's share grows with groups and nodes (lag reads, snapshots)`,
    });
  }
  return rows;
}
