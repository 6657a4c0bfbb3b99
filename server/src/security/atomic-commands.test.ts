import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Topology, validateTopology } from '@lab/model';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabAdmin } from '../kafka/admin.js';
import type { TopicObserver } from '../kafka/observer.js';
import { Runtime } from '../runtime/runtime.js';
import { EventLog } from '../telemetry/log.js';
import { TopologyStore } from '../topology-store.js';

// A command either changes the lab and answers 2xx, or answers an error and changes nothing: not the
// topology running, not the saved document, not whether it runs. Kafka and the disk fail on purpose here.

/** An admin whose calls fail while `kafkaDown` is set; services with no links need nothing more of Kafka. */
function fakeAdmin(state: { kafkaDown: boolean }) {
  const call = async <T>(value: T): Promise<T> => {
    if (state.kafkaDown) throw new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    return value;
  };
  return {
    ensureTopics: () => call(undefined),
    partitionCountsOf: () => call(new Map()),
    deleteNamespace: () => call({ topics: [], groups: [] }),
    namespace: () => call({ topics: [], groups: [] }),
    topicOffsets: () => call({ start: [0], end: [0] }),
    committedOffsets: () => call([]),
    leaders: () => call([0]),
    groupStates: () => call(new Map()),
  } as unknown as LabAdmin;
}
const observer = { watch: async () => {}, stop: async () => {}, forget: () => {} } as unknown as TopicObserver;

const doc = (name: string, extra: string[] = ['orders']): Topology => {
  const result = validateTopology({
    version: 1,
    name,
    nodes: [{ id: 'worker', kind: 'service' }, ...extra.map((id) => ({ id, kind: 'topic' }))],
    links: [],
  });
  if (!result.ok) throw new Error(result.problems[0]?.error);
  return result.topology;
};

let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

function setup() {
  const state = { kafkaDown: false };
  const log = new EventLog();
  runtime = new Runtime({
    prefix: 'p.',
    brokers: ['127.0.0.1:1'],
    admin: fakeAdmin(state),
    observer,
    log,
    publish: () => {},
  });
  const store = new TopologyStore(mkdtempSync(join(tmpdir(), 'atomic-')), 'p.');
  return { runtime, state, store };
}

const fails = async (command: Promise<unknown>) => {
  const error = await command.then(
    () => undefined,
    (err: { statusCode?: number; message: string }) => err,
  );
  expect(error, 'the command should have failed').toBeDefined();
  return error!;
};

describe('a command that fails changes nothing', () => {
  it('run with Kafka down: 503, and the lab is not running', async () => {
    const { runtime, state } = setup();
    await runtime.apply(doc('one'));
    state.kafkaDown = true;
    expect((await fails(runtime.run())).statusCode).toBe(503);
    expect(runtime.isRunning).toBe(false);
    expect(runtime.parts().nodes.worker?.instances).toEqual([]);
  });

  it('an edit while running with Kafka down: 503, neither saved nor applied', async () => {
    const { runtime, state, store } = setup();
    await runtime.replace(doc('one'), (t) => store.save(t));
    await runtime.run();
    const saved = readFileSync(store.path, 'utf8');
    state.kafkaDown = true;
    expect((await fails(runtime.replace(doc('two', ['orders', 'payments']), (t) => store.save(t)))).statusCode).toBe(
      503,
    );
    expect(runtime.current.name).toBe('one');
    expect(readFileSync(store.path, 'utf8')).toBe(saved);
    expect(runtime.isRunning).toBe(true);
  });

  it('an edit the disk refuses: an error naming it, and the running topology is still the old one', async () => {
    const { runtime } = setup();
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    writeFileSync(join(dir, 'blocked'), 'a file where the data dir should be');
    const store = new TopologyStore(join(dir, 'blocked'), 'p.');
    await runtime.apply(doc('one'));
    await runtime.run();
    const error = await fails(runtime.replace(doc('two'), (t) => store.save(t)));
    expect(error.statusCode).toBe(503);
    expect(error.message).toMatch(/^The topology could not be saved \(ENOTDIR|EEXIST/);
    expect(runtime.current.name).toBe('one');
  });

  it('reset with Kafka down: 503 and the topology keeps running', async () => {
    const { runtime, state } = setup();
    await runtime.apply(doc('one'));
    await runtime.run();
    state.kafkaDown = true;
    expect((await fails(runtime.reset())).statusCode).toBe(503);
    expect(runtime.isRunning).toBe(true);
    expect(runtime.parts().nodes.worker?.instances).toHaveLength(1);
  });

  it('and a command that succeeds answers after its change took effect', async () => {
    const { runtime, store } = setup();
    await runtime.replace(doc('one'), (t) => store.save(t));
    await runtime.run();
    expect(runtime.isRunning).toBe(true);
    await runtime.replace(doc('two'), (t) => store.save(t));
    expect(runtime.current.name).toBe('two');
    expect(store.load().topology.name).toBe('two');
    await runtime.reset();
    expect(runtime.isRunning).toBe(false);
  });
});
