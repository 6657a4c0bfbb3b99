import { idRecord, type Topology } from '@lab/model';
import { AppError } from '../errors.js';
import { newRunSecret } from '../security/instance-access.js';
import { apiChanges } from './api-deploys.js';
import type { FaultBook } from './fault-book.js';
import { sharedHosts } from './hosts.js';
import { Instance, type InstanceEvents } from './instance.js';
import type { RuntimeOptions } from './options.js';
import type { Quota } from './quota.js';
import type { RunState } from './run-state.js';
import { consumeKey, instanceIds, nodeById, runnable, specFor } from './specs.js';

/**
 * The instances of a run: made, started (services before sources), stopped (sources before services), scaled,
 * and restarted where a live edit needs it; which partitions each holds; the rate each source is told.
 */
export class InstanceLifecycle {
  private readonly instances = new Map<string, Instance[]>();
  private readonly assignments = new Map<string, Record<string, number[]>>();
  private readonly rates = new Map<string, number>();
  /** Required on every instance's HTTP listener; a new one each run. */
  private secret = newRunSecret();

  constructor(
    private readonly options: RuntimeOptions,
    private readonly state: RunState,
    private readonly book: FaultBook,
    private readonly quota: Quota,
    /** What the instances report, and when one goes down (its numbers and blocked partitions are forgotten). */
    private readonly events: Omit<InstanceEvents, 'onPhase'> & { onDown: (instance: Instance) => void },
  ) {}

  /** Instances of this run, running or crashed (a crashed one can be revived: it keeps its place). */
  get count(): number {
    let count = 0;
    for (const list of this.instances.values()) count += list.length;
    return count;
  }

  of(nodeId: string): Instance[] {
    return this.instances.get(nodeId) ?? [];
  }

  all(): Instance[] {
    return [...this.instances.values()].flat();
  }

  /** The partitions an instance owns, topic name -> partitions, as its consumer last reported. */
  assignmentOf(instanceId: string): Record<string, number[]> | undefined {
    return this.assignments.get(instanceId);
  }

  assign(instanceId: string, partitions: Record<string, number[]>): void {
    this.assignments.set(instanceId, partitions);
  }

  /** A source's rate as the learner set it during this run; undefined while it runs at its drawn rate. */
  rateOf(nodeId: string): number | undefined {
    return this.rates.get(nodeId);
  }

  /** Starts every runnable node: services first, and sources only once consumers own their partitions. */
  async startAll(): Promise<void> {
    this.secret = newRunSecret();
    const nodes = runnable(this.state.topology);
    await Promise.all(nodes.filter((n) => n.kind === 'service').map((s) => this.startNode(s.id)));
    await this.waitForAssignments();
    await Promise.all(nodes.filter((n) => n.kind === 'source').map((s) => this.startNode(s.id)));
  }

  /** Stops every instance, sources first so services can finish what is already on its way. */
  async stopAll(): Promise<void> {
    const all = (kind: 'source' | 'service') =>
      this.all().filter((i) => nodeById(this.state.topology, i.nodeId)?.kind === kind);
    await Promise.all(all('source').map((i) => i.stop()));
    await Promise.all(all('service').map((i) => i.stop()));
  }

  /** The run is over: its instances, their partitions and the rates set during it are forgotten. */
  clear(): void {
    this.instances.clear();
    this.assignments.clear();
    this.rates.clear();
  }

  /** Starts and stops just what changed between two topologies, while running. */
  async applyLive(previous: Topology, next: Topology): Promise<void> {
    for (const message of apiChanges(previous, next)) this.options.log.add({ level: 'info', kind: 'edit', message });
    const before = new Map(runnable(previous).map((n) => [n.id, n]));
    for (const node of runnable(next)) {
      const old = before.get(node.id);
      before.delete(node.id);
      const instances = this.of(node.id);
      if (!old || old.kind !== node.kind) {
        if (old) await this.stopNode(node.id);
        await this.startNode(node.id);
        this.logEdit(node.id, `Started ${node.kind} ${node.id}`);
      } else if (consumeKey(previous, node.id) !== consumeKey(next, node.id)) {
        // kafkajs cannot change a running consumer's topics: the instances restart with the new subscription.
        await this.stopNode(node.id);
        await this.startNode(node.id, node.kind === 'service' ? Math.max(1, instances.length) : 1);
        this.logEdit(node.id, `Restarted ${node.id} with its new topics`);
      } else {
        for (const instance of instances) instance.setSpec(specFor(this.runContext, next, node, instance.id));
        if (node.kind === 'service' && old.kind === 'service' && old.instances !== node.instances)
          await this.scaleTo(node.id, node.instances);
      }
    }
    for (const removed of before.keys()) {
      await this.stopNode(removed);
      this.logEdit(removed, `Stopped ${removed}: removed from the topology`);
    }
  }

  async scaleTo(nodeId: string, count: number): Promise<void> {
    const instances = this.of(nodeId);
    if (count > instances.length) {
      const highest = Math.max(0, ...instances.map((i) => Number(i.id.slice(nodeId.length + 1))));
      const added = instanceIds(nodeId, count - instances.length, highest + 1).map((id) =>
        this.makeInstance(nodeId, id),
      );
      this.instances.set(nodeId, [...instances, ...added]);
      await Promise.all(added.map((i) => this.startInstance(i)));
    } else if (count < instances.length) {
      const removed = instances.slice(count);
      this.instances.set(nodeId, instances.slice(0, count));
      await Promise.all(removed.map((i) => i.stop()));
      this.forget(removed);
    }
  }

  /**
   * Starts (or revives) one instance and tells it what it must keep: its injected faults and its source's
   * rate. A failure to start is logged: the instance stays down, and the rest of the command goes on.
   */
  async startInstance(instance: Instance): Promise<void> {
    try {
      await instance.start();
      const faults = this.book.of(instance.id);
      if (faults) instance.send({ type: 'faults', faults });
      const rate = this.rates.get(instance.nodeId);
      if (rate !== undefined) instance.send({ type: 'rate', perSecond: rate });
    } catch (err) {
      this.options.log.add({
        level: 'error',
        kind: 'error',
        nodeId: instance.nodeId,
        message: `${instance.id} failed to start: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }

  /** A source's new rate, told to its instances and kept for the ones that start later in this run. */
  setRate(nodeId: string, perSecond: number): void {
    const topology = this.state.topology;
    const node = nodeById(topology, nodeId);
    if (!node) throw new AppError(404, `No node "${nodeId}" in the topology`, 'id');
    if (node.kind !== 'source')
      throw new AppError(400, `"${nodeId}" is a ${node.kind}: only sources have a rate`, 'id');
    const others = topology.nodes.reduce(
      (sum, n) => sum + (n.kind === 'source' && n.id !== nodeId ? (this.rates.get(n.id) ?? n.ratePerSec) : 0),
      0,
    );
    this.quota.checkRate(perSecond, others);
    this.rates.set(nodeId, perSecond);
    for (const instance of this.of(nodeId)) instance.send({ type: 'rate', perSecond });
  }

  /** Tells every instance where the running instances of each node listen (callers call them there). */
  publishEndpoints(): void {
    const endpoints = idRecord<string[]>();
    for (const [nodeId, instances] of this.instances) {
      endpoints[nodeId] = instances.flatMap((i) => (i.phase === 'running' && i.url ? [i.url] : []));
    }
    for (const instance of this.all()) instance.send({ type: 'endpoints', endpoints });
  }

  private get runContext() {
    return {
      prefix: this.options.prefix,
      brokers: this.options.brokers,
      security: this.options.security,
      secret: this.secret,
    };
  }

  private async startNode(nodeId: string, count?: number) {
    const node = nodeById(this.state.topology, nodeId);
    if (!node || node.kind === 'topic') return;
    const wanted = count ?? (node.kind === 'service' ? node.instances : 1);
    const instances = instanceIds(nodeId, wanted).map((id) => this.makeInstance(nodeId, id));
    this.instances.set(nodeId, instances);
    await Promise.all(instances.map((i) => this.startInstance(i)));
  }

  private async stopNode(nodeId: string) {
    const instances = this.of(nodeId);
    await Promise.all(instances.map((i) => i.stop()));
    this.forget(instances);
    this.instances.delete(nodeId);
  }

  /** Instances removed from the run: their faults and partitions go with them. */
  private forget(instances: Instance[]) {
    for (const i of instances) {
      this.book.forget(i.id);
      this.assignments.delete(i.id);
    }
  }

  private makeInstance(nodeId: string, instanceId: string): Instance {
    const topology = this.state.topology;
    const node = nodeById(topology, nodeId) as Parameters<typeof specFor>[2];
    return new Instance(
      instanceId,
      nodeId,
      specFor(this.runContext, topology, node, instanceId),
      {
        onStats: this.events.onStats,
        onMessage: this.events.onMessage,
        onPhase: (instance) => {
          if (instance.phase === 'down') this.events.onDown(instance);
          if (instance.phase === 'running' || instance.phase === 'down') this.publishEndpoints();
        },
      },
      this.options.hosts ?? sharedHosts(),
    );
  }

  private async waitForAssignments() {
    const deadline = Date.now() + (this.options.assignmentWaitMs ?? 15_000);
    const consuming = this.all().filter((i) => consumeKey(this.state.topology, i.nodeId) !== '' && i.alive);
    while (Date.now() < deadline && consuming.some((i) => !this.assignments.has(i.id))) {
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private logEdit(nodeId: string, message: string) {
    this.options.log.add({ level: 'info', kind: 'edit', nodeId, message });
  }
}
