import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Topology, validateTopology } from '@lab/model';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabAdmin } from '../kafka/admin.js';
import type { TopicObserver } from '../kafka/observer.js';
import { LabEngine } from '../labs/engine.js';
import type { LoadedLab } from '../labs/loader.js';
import { EventLog } from '../telemetry/log.js';
import { TopologyStore } from '../topology-store.js';
import { replaceTopology } from './edits.js';
import { Runtime } from './runtime.js';

// The editor's PUT and a lab step's topology can arrive at the same moment. Each is checked (against Kafka,
// while running), saved and applied; if their steps interleaved, what is saved could differ from what runs,
// and two live edits could start and stop instances under each other. They must queue as whole commands.

const doc = (name: string, service: string): Topology => {
  const result = validateTopology({
    version: 1,
    name,
    nodes: [
      { id: 'worker', kind: 'service' },
      { id: service, kind: 'service' },
      { id: `${service}-topic`, kind: 'topic' },
    ],
    links: [],
  });
  if (!result.ok) throw new Error(result.problems[0]?.error);
  return result.topology;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

/** A Kafka admin that answers at once with an empty cluster; each test makes its own calls slow. */
const fakeAdmin = (calls: Record<string, unknown>): LabAdmin =>
  ({
    topicOffsets: async () => ({ start: [0], end: [0] }),
    committedOffsets: async () => [],
    leaders: async () => [0],
    groupStates: async () => new Map(),
    ...calls,
  }) as unknown as LabAdmin;

describe('replacing the topology', () => {
  it('a PUT and a lab step at once never interleave: each is checked, saved and applied whole, and the saved document is the one running', async () => {
    const steps: string[] = [];
    let shown: string | undefined;
    const step = (entry: string) => {
      if (steps.at(-1) !== entry) steps.push(entry);
    };
    const nameOf = (topics: string[]) =>
      topics.some((t) => t.includes('put-')) ? 'put' : topics.some((t) => t.includes('step-')) ? 'step' : 'first';
    const admin = fakeAdmin({
      ensureTopics: async () => {},
      // The check of a running edit: slow, so a second replace has all the time to slip in if it could.
      partitionCountsOf: async (topics: string[]) => {
        step(`check ${nameOf(topics)}`);
        await sleep(30);
        return new Map();
      },
    });
    const observer = { watch: async () => {}, stop: async () => {}, forget: () => {} } as unknown as TopicObserver;
    runtime = new Runtime({
      prefix: 'p.',
      brokers: ['127.0.0.1:1'],
      admin,
      observer,
      log: new EventLog(),
      // The frames show when a topology came into force (the 100 ms timer's frames repeat it meanwhile).
      publish: () => {
        const name = runtime?.current.name;
        if (name !== shown && (name === 'put' || name === 'step')) step(`applied ${name}`);
        shown = name;
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'replace-'));
    const disk = new TopologyStore(dir, 'p.');
    const store = {
      save: async (topology: Topology) => {
        step(`save ${topology.name}`);
        await sleep(topology.name === 'put' ? 50 : 0);
        await disk.save(topology);
      },
      load: () => disk.load(),
    } as unknown as TopologyStore;
    const lab = { runtime, store };
    await replaceTopology(lab, doc('first', 'first'));
    await runtime.run();

    const engine = new LabEngine({ labs: [], runtime, store, log: new EventLog(), dataDir: dir });
    const loaded = { topologies: new Map([['step.json', doc('step', 'step')]]) } as unknown as LoadedLab;
    const put = replaceTopology(lab, doc('put', 'put'));
    const labStep = engine.execute({ topology: 'step.json' }, loaded);
    await Promise.all([put, labStep]);
    engine.close();

    expect(steps.filter((s) => !s.endsWith('first'))).toEqual([
      'check put',
      'save put',
      'applied put',
      'check step',
      'save step',
      'applied step',
    ]);
    expect(disk.load().topology).toEqual(runtime.current);
    expect(runtime.current.name).toBe('step');
    // What runs is the step's topology: its service, not the PUT's one that came and went.
    const parts = runtime.parts();
    expect(Object.keys(parts.nodes).sort()).toEqual(['step', 'step-topic', 'worker']);
    expect(parts.nodes.step?.instances.map((i) => i.id)).toEqual(['step-1']);
  });
});

describe('a lab starting', () => {
  it('is one command: a Run pressed meanwhile runs the lab topology, never the learner one on the freshly reset namespace', async () => {
    const admin = fakeAdmin({
      ensureTopics: async () => {},
      partitionCountsOf: async () => new Map(),
      namespace: async () => ({ topics: [], groups: [] }),
      deleteNamespace: async () => {
        await sleep(30); // Kafka takes its time: room for a Run to slip in if it could
        return { topics: [], groups: [] };
      },
    });
    const observer = { watch: async () => {}, stop: async () => {}, forget: () => {} } as unknown as TopicObserver;
    const log = new EventLog();
    runtime = new Runtime({ prefix: 'p.', brokers: ['127.0.0.1:1'], admin, observer, log, publish: () => {} });
    const dir = mkdtempSync(join(tmpdir(), 'replace-'));
    const store = new TopologyStore(dir, 'p.');
    await replaceTopology({ runtime, store }, doc('mine', 'mine'));
    const lab = {
      lab: { id: 'solo', title: 'Solo', minutes: 1, topology: 'start.json', steps: [] },
      topologies: new Map([['start.json', doc('solo', 'solo')]]),
    } as unknown as LoadedLab;
    const engine = new LabEngine({ labs: [lab], runtime, store, log, dataDir: dir });

    await Promise.all([engine.start('solo'), runtime.run()]);
    engine.close();

    const runs = log.recent().filter((e) => e.kind === 'run' && e.message.startsWith('Run started'));
    expect(runs.map((e) => e.message)).toEqual(['Run started: solo']);
    expect(runtime.isRunning).toBe(true);
    expect(store.load().topology).toEqual(runtime.current);
    expect(Object.keys(runtime.parts().nodes).sort()).toEqual(['solo', 'solo-topic', 'worker']);
  });
});
