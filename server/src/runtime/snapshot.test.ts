import { type Topology, validateTopology } from '@lab/model';
import { describe, expect, it } from 'vitest';
import type { LabAdmin } from '../kafka/admin.js';
import type { TopicObserver } from '../kafka/observer.js';
import { Aggregator } from '../telemetry/aggregator.js';
import { DeliveryLedger } from '../telemetry/ledger.js';
import { EventLog } from '../telemetry/log.js';
import { FaultBook } from './fault-book.js';
import { InstanceLifecycle } from './lifecycle.js';
import type { RuntimeOptions, RuntimeParts } from './options.js';
import { Quota } from './quota.js';
import { RunState } from './run-state.js';
import { SnapshotBuilder } from './snapshot.js';

const topology = (): Topology => {
  const result = validateTopology({
    version: 1,
    name: 'accounts',
    nodes: [
      { id: 'orders', kind: 'topic' },
      { id: 'billing', kind: 'service' },
    ],
    links: [{ id: 'orders-billing', kind: 'consume', from: 'orders', to: 'billing' }],
  });
  if (!result.ok) throw new Error(result.problems[0]?.error);
  return result.topology;
};

describe('the snapshot', () => {
  it("adds the ledger's accounts to copies: a frame already published, and Kafka's read, keep their numbers", async () => {
    const admin = {
      topicOffsets: async () => ({ start: [0], end: [3] }),
      committedOffsets: async () => [1],
      leaders: async () => [1],
      groupStates: async () => new Map(),
    } as unknown as LabAdmin;
    const options: RuntimeOptions = {
      prefix: 'p.',
      brokers: ['127.0.0.1:1'],
      admin,
      observer: {} as TopicObserver,
      log: new EventLog(),
      publish: () => {},
    };
    const state = new RunState();
    state.topology = topology();
    state.running = true;
    const book = new FaultBook();
    const lifecycle = new InstanceLifecycle(options, state, book, new Quota(options), {
      onStats: () => {},
      onMessage: () => {},
      onDown: () => {},
    });
    const ledger = new DeliveryLedger();
    const snapshots = new SnapshotBuilder(options, state, { aggregator: new Aggregator(), ledger }, book, lifecycle);
    snapshots.start();
    try {
      let first: RuntimeParts = snapshots.parts();
      for (let i = 0; i < 50 && !first.topics.orders; i++) {
        await new Promise((r) => setTimeout(r, 10));
        first = snapshots.parts();
      }
      expect(first.topics.orders?.groups.billing).toMatchObject({ lag: 2, missing: 0, processed: 0 });
      expect(first.links['orders-billing']?.lag).toBe(2);

      ledger.recordProduced('orders', ['e1', 'e2']);
      ledger.record('orders', 'billing', 'processed', ['e1']);
      const second = snapshots.parts();

      expect(second.topics.orders?.groups.billing).toMatchObject({ lag: 2, missing: 1, processed: 1 });
      // Before, the accounts were written into the lag reader's group, which the first frame shared: a browser's
      // "what it has" changed under it, so the difference never reached it until the next lag read.
      expect(first.topics.orders?.groups.billing).toMatchObject({ missing: 0, processed: 0 });
      expect(second.topics.orders?.groups.billing).not.toBe(first.topics.orders?.groups.billing);
    } finally {
      snapshots.stop();
    }
  });
});
