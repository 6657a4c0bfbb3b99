import { type GroupLive, idRecord, type LinkLive, type NodeLive, own, type TopicLive } from '@lab/model';
import type { Aggregator } from '../telemetry/aggregator.js';
import { LagReader, type LagTarget } from '../telemetry/lag.js';
import type { DeliveryLedger } from '../telemetry/ledger.js';
import type { FaultBook } from './fault-book.js';
import type { InstanceLifecycle } from './lifecycle.js';
import type { RuntimeOptions, RuntimeParts } from './options.js';
import type { RunState } from './run-state.js';
import { groupName, topicName } from './specs.js';
import { instanceStatus, serviceStatus } from './status.js';
import { allTopics } from './topics.js';

const GROUP_REBALANCING = new Set(['PreparingRebalance', 'CompletingRebalance']);
/** The shortest gap between two snapshots published because instances reported new work. */
const PUBLISH_GAP_MS = 40;

/**
 * The runtime's part of the live snapshot: built from the instances, the faults, the aggregator's numbers, the
 * ledger's accounts and Kafka's lag (read here on a timer, never written to), and published ten times a
 * second while running, soon after new work, and after every command.
 */
export class SnapshotBuilder {
  private readonly lag: LagReader;
  /** Per materialized-view service, when its last rebuild from the beginning started and how long it took. */
  private readonly rebuilds = new Map<string, { from: number; ms?: number }>();
  private publishTimer: NodeJS.Timeout | undefined;
  private lagTimer: NodeJS.Timeout | undefined;
  private publishQueued = false;
  private lastPublishAt = 0;
  private failures = 0;
  private failingSince: number | undefined;

  constructor(
    private readonly options: RuntimeOptions,
    private readonly state: RunState,
    private readonly telemetry: { aggregator: Aggregator; ledger: DeliveryLedger },
    private readonly book: FaultBook,
    private readonly lifecycle: InstanceLifecycle,
  ) {
    this.lag = new LagReader(options.admin, (topicId, partition, from, to) =>
      options.log.add({
        level: to === -1 ? 'error' : 'warn',
        kind: 'kafka',
        nodeId: topicId,
        message:
          to === -1
            ? `${topicId} partition ${partition}: leader ${from} lost, no leader yet`
            : `${topicId} partition ${partition}: leader moved from broker ${from} to broker ${to}`,
      }),
    );
  }

  /** Live frames that threw and were skipped since start (see publish). */
  get publishFailures(): number {
    return this.failures;
  }

  /** A run started: frames ten times a second, and Kafka's lag read on its own timer. */
  start(): void {
    this.publishTimer = setInterval(() => this.publish(), 100);
    this.lagTimer = setInterval(() => void this.readLag(), this.options.lagIntervalMs ?? 1_000);
    void this.readLag();
    this.publish();
  }

  /** The run is stopping: no more timed frames or lag reads. */
  stop(): void {
    clearInterval(this.publishTimer);
    clearInterval(this.lagTimer);
  }

  /** The run stopped: its views' rebuilds are history. */
  runEnded(): void {
    this.rebuilds.clear();
  }

  /** A reset: the lag read before it describes topics that are gone. */
  forgetLag(): void {
    this.lag.clear();
  }

  /** A view's consumer got its partitions and rewinds to the beginning: its rebuild starts now. */
  rebuildStarted(serviceId: string): void {
    this.rebuilds.set(serviceId, { from: Date.now() });
  }

  /**
   * Every frame goes through here (the 100 ms timer and every command). One frame that throws must cost that
   * frame only: a throw from the timer would otherwise end the process, and from a command turn a change that
   * took effect into a 500. It is counted, and logged once per burst (not ten times a second).
   */
  publish(): void {
    this.lastPublishAt = Date.now();
    try {
      this.options.publish(this.parts());
      this.failingSince = undefined;
    } catch (err) {
      this.failures++;
      if (this.failingSince !== undefined) return;
      this.failingSince = Date.now();
      const message = err instanceof Error ? err.message : String(err);
      this.options.log.add({
        level: 'error',
        kind: 'error',
        message: `A live frame failed and was skipped: ${message}`,
      });
      console.error('A live frame failed and was skipped:', err);
    }
  }

  /**
   * New work reaches the snapshot within PUBLISH_GAP_MS instead of waiting for the next 100 ms publish; a
   * busy topology still publishes at most once per gap, however many instances report.
   */
  publishSoon(): void {
    if (this.publishQueued || !this.state.running) return;
    this.publishQueued = true;
    setTimeout(
      () => {
        this.publishQueued = false;
        if (this.state.running) this.publish();
      },
      Math.max(0, this.lastPublishAt + PUBLISH_GAP_MS - Date.now()),
    );
  }

  parts(): RuntimeParts {
    const { topology, running, startedAt } = this.state;
    const { aggregator } = this.telemetry;
    const nodes = idRecord<NodeLive>();
    const links = idRecord<LinkLive>();
    for (const node of topology.nodes) {
      const numbers = aggregator.node(node.id);
      const instances = this.lifecycle.of(node.id).map((i) => ({
        id: i.id,
        status: instanceStatus(i, this.book.of(i.id)),
      }));
      const groupState = this.lag.stateOf(groupName(this.options, node.id));
      const status = !running
        ? 'idle'
        : node.kind === 'service'
          ? serviceStatus(instances, GROUP_REBALANCING.has(groupState ?? ''), numbers.errorRate)
          : node.kind === 'source'
            ? instances.some((i) => i.status !== 'down')
              ? 'running'
              : 'down'
            : 'running';
      const live: NodeLive = { status, instances, ...numbers };
      if (node.kind === 'source') live.targetRate = this.lifecycle.rateOf(node.id) ?? node.ratePerSec;
      const rebuildMs = this.rebuildMs(node.id);
      if (rebuildMs !== undefined) live.rebuildMs = rebuildMs;
      nodes[node.id] = live;
    }
    const topics = this.topics();
    for (const link of topology.links) {
      const live: LinkLive = aggregator.link(link.id);
      links[link.id] = live;
      if (link.kind === 'consume') {
        const group = own(own(topics, link.from)?.groups, link.to);
        if (group) {
          live.lag = group.lag;
          this.addAccounts(group, link.from, link.to);
        }
      }
    }
    return { running, startedAt, nodes, links, topics, flows: aggregator.flows() };
  }

  /** The topics as Kafka last told them, copied: the ledger's accounts are added to the copy, not the read. */
  private topics(): Record<string, TopicLive> {
    const topics = idRecord<TopicLive>();
    for (const [topicId, topic] of Object.entries(this.lag.current)) {
      const groups = idRecord<GroupLive>();
      for (const [serviceId, group] of Object.entries(topic.groups))
        groups[serviceId] = { ...group, duplicates: 0, missing: 0 };
      topics[topicId] = { ...topic, groups };
    }
    return topics;
  }

  /** A consume link's group, with every event accounted for (the ledger) and its blocked partitions. */
  private addAccounts(group: GroupLive, topicId: string, serviceId: string) {
    const { ledger } = this.telemetry;
    const account = ledger.account(topicId, serviceId);
    group.duplicates = ledger.duplicatesOf(topicId, serviceId);
    group.missing = account.pending;
    group.processed = account.processed;
    group.deadLettered = account.deadLettered;
    group.lost = account.lost;
    group.dropped = ledger.droppedOf(topicId, serviceId);
    group.blocked = this.book.blockedOf(
      this.lifecycle.of(serviceId).map((i) => i.id),
      topicId,
    );
    group.blockedPartitions = group.blocked.length;
  }

  private async readLag() {
    const { topology } = this.state;
    const targets: LagTarget[] = allTopics(topology).map((topic) => ({
      topicId: topic.id,
      topic: topicName(this.options, topic.id),
      groups: topology.links.flatMap((l) =>
        l.kind === 'consume' && l.from === topic.id
          ? [{ serviceId: l.to, groupId: groupName(this.options, l.to), startFrom: l.startFrom }]
          : [],
      ),
    }));
    await this.lag.read(targets, (groupId, topic) => this.owners(groupId, topic)).catch(() => {});
  }

  /** Per partition, the instance that owns it; a live owner wins over a dead one's stale claim. */
  private owners(groupId: string, topic: string): string[] {
    const serviceId = groupId.slice(this.options.prefix.length);
    const owners: string[] = [];
    for (const instance of this.lifecycle.of(serviceId)) {
      for (const partition of own(this.lifecycle.assignmentOf(instance.id), topic) ?? []) {
        if (!owners[partition] || instance.alive) owners[partition] = instance.id;
      }
    }
    return Array.from(owners, (o) => o ?? '');
  }

  /**
   * How long a view's last rebuild took: from its assignment (when it rewound to the beginning) to the first
   * lag read, started after the rewound offsets were committed, that found its group caught up everywhere.
   */
  private rebuildMs(serviceId: string): number | undefined {
    const rebuild = this.rebuilds.get(serviceId);
    if (!rebuild || rebuild.ms !== undefined) return rebuild?.ms;
    const read = this.lag.readStartedAt;
    if (read < rebuild.from + 1_000) return undefined;
    const topics = this.state.topology.links
      .filter((l) => l.kind === 'consume' && l.to === serviceId)
      .map((l) => l.from);
    const caughtUp = topics.every((t) => own(own(this.lag.current, t)?.groups, serviceId)?.lag === 0);
    if (caughtUp) rebuild.ms = read - rebuild.from;
    return rebuild.ms;
  }
}
