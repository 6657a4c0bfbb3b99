import { normalizeTopology, type Source } from '@lab/model';
import { afterEach, describe, expect, it } from 'vitest';
import { InstanceHosts, type InstanceListener } from './hosts.js';
import type { FromWorker, StatsTick } from './messages.js';
import { specFor } from './specs.js';

/** A source with no link: it needs no broker (it has nowhere to send), so the pool can be tested alone. */
function sourceSpec(id: string) {
  const topology = normalizeTopology({ version: 1, name: 't', nodes: [{ id, kind: 'source' }], links: [] });
  const node = topology.nodes[0] as Source;
  return specFor({ prefix: 't.', brokers: ['127.0.0.1:1'], secret: 's' }, topology, node, `${id}-1`);
}

function listen() {
  const heard: { messages: FromWorker[]; ticks: StatsTick[]; exits: (string | undefined)[] } = {
    messages: [],
    ticks: [],
    exits: [],
  };
  let exited = () => {};
  const exit = new Promise<void>((r) => {
    exited = r;
  });
  const listener: InstanceListener = {
    message: (m) => heard.messages.push(m),
    stats: (t) => heard.ticks.push(t),
    exit: (why) => {
      heard.exits.push(why);
      exited();
    },
  };
  const ready = () => waitUntil(() => heard.messages.some((m) => m.type === 'ready'));
  return { heard, listener, exit, ready };
}

async function waitUntil(check: () => boolean, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('InstanceHosts', () => {
  let hosts: InstanceHosts;
  afterEach(() => hosts?.close());

  it('spreads instances over its threads, the emptiest first, each tagged with its own key', async () => {
    hosts = new InstanceHosts({ size: 2 });
    const started = ['a', 'b', 'c'].map((id) => {
      const l = listen();
      return { ...l, placement: hosts.start(sourceSpec(id), l.listener) };
    });
    await Promise.all(started.map((s) => s.ready()));
    const threads = hosts.describe();
    expect(threads.map((t) => t.instances)).toEqual([['a-1', 'c-1'], ['b-1']]);
    expect(started.map((s) => s.placement.thread)).toEqual([
      threads[0]!.thread,
      threads[1]!.thread,
      threads[0]!.thread,
    ]);
    // An idle instance sends no stats at all: its gauges did not change.
    await new Promise((r) => setTimeout(r, 300));
    expect(started.flatMap((s) => s.heard.ticks)).toEqual([]);
  });

  it('a crash ends the instance at once for the main thread; a stop reports its last stats, then ends it', async () => {
    hosts = new InstanceHosts({ size: 1 });
    const crashed = listen();
    const stopped = listen();
    const kept = listen();
    const a = hosts.start(sourceSpec('a'), crashed.listener);
    const b = hosts.start(sourceSpec('b'), stopped.listener);
    hosts.start(sourceSpec('c'), kept.listener);
    await Promise.all([crashed.ready(), stopped.ready(), kept.ready()]);
    a.crash();
    await crashed.exit;
    expect(crashed.heard.exits).toEqual([undefined]);
    b.send({ type: 'stop' });
    await stopped.exit;
    expect(stopped.heard.messages.map((m) => m.type)).toEqual(['ready', 'stopped']);
    expect(stopped.heard.ticks).toHaveLength(1);
    const inspection = await hosts.inspect(a.thread);
    expect(inspection.instances.filter((i) => i.state === 'running').map((i) => i.id)).toEqual(['c-1']);
    expect(kept.heard.exits).toEqual([]);
  });

  it('a thread that dies takes only its own instances down, tells them why, and is replaced', async () => {
    const lines: string[] = [];
    hosts = new InstanceHosts({
      size: 2,
      file: new URL('../../test/fixtures/exit-host.mjs', import.meta.url),
      onHostDied: (line) => lines.push(line),
    });
    const safe = listen();
    const neighbour = listen();
    const doomed = listen();
    hosts.start(sourceSpec('safe'), safe.listener);
    hosts.start(sourceSpec('neighbour'), neighbour.listener);
    await Promise.all([safe.ready(), neighbour.ready()]);
    const d = hosts.start(sourceSpec('doomed'), doomed.listener); // joins safe's thread (a tie goes to the first)
    await doomed.exit;
    await waitUntil(() => safe.heard.exits.length > 0);
    expect(safe.heard.exits).toEqual(['its host thread died (it exited with code 3)']);
    expect(lines).toEqual([
      `Instance host thread ${d.thread} died (it exited with code 3): safe-1, doomed-1 went down with it; new instances get a new thread`,
    ]);
    expect(neighbour.heard.exits).toEqual([]);
    const next = listen();
    const again = hosts.start(sourceSpec('next'), next.listener);
    await next.ready();
    expect(again.thread).not.toBe(d.thread);
  });
});
