import {
  deadLetterTopicId,
  EMPTY_TOPOLOGY,
  idRecord,
  impliedDeadLetterTopics,
  instancesOf,
  LIMITS,
  type LinkLive,
  type NodeActionRequest,
  type NodeLive,
  own,
  type Snapshot,
  type TopicMessage,
  type Topology,
  tooManyInstances,
  totalRateOf,
} from '@lab/model';
import type { LabAdmin } from '../kafka/admin.js';
import { createKafka } from '../kafka/client.js';
import type { TopicObserver } from '../kafka/observer.js';
import { newRunSecret } from '../security/instance-access.js';
import { Aggregator } from '../telemetry/aggregator.js';
import { LagReader, type LagTarget } from '../telemetry/lag.js';
import { DeliveryLedger, type Outcome } from '../telemetry/ledger.js';
import type { EventLog } from '../telemetry/log.js';
import { TraceIndex } from '../telemetry/traces.js';
import { apiChanges } from './api-deploys.js';
import { RuntimeError } from './errors.js';
import { type InstanceHosts, sharedHosts } from './hosts.js';
import { Instance } from './instance.js';
import type { Faults, FromWorker, StatsTick } from './messages.js';
import { type RedriveResult, redrive } from './redrive.js';
import { consumeKey, groupName, instanceIds, type Namespace, nodeById, runnable, specFor, topicName } from './specs.js';
import { instanceStatus, serviceStatus } from './status.js';

export interface RuntimeOptions extends Namespace {
  admin: LabAdmin;
  observer: TopicObserver;
  log: EventLog;
  /** Called about ten times a second while running, and after every command, with the runtime's part of the snapshot. */
  publish: (parts: Omit<Snapshot, 'kafka' | 'lab' | 'topologyRevision'>) => void;
  lagIntervalMs?: number;
  /** How long a run waits for consumers to get their partitions before starting sources. */
  assignmentWaitMs?: number;
  /** Instances running at once, at most (LIMITS.totalInstances; lower in tests). */
  maxInstances?: number;
  /** The host threads the instances run on (the server's shared pool unless given). */
  hosts?: InstanceHosts;
  /**
   * On a server of many workspaces: how many instances this runtime may have, all workspaces together being
   * capped (SERVER_MAX_INSTANCES), so one workspace cannot take the room of the others.
   */
  serverRoom?: () => { free: number; limit: number } | undefined;
  /** Source events per second of all sources together, at most (LIMITS.totalRatePerSec; a classroom attendee's share). */
  maxRatePerSec?: number;
}

const NO_FAULTS: Faults = { hang: false, slowMs: 0, errorRate: undefined };
const GROUP_REBALANCING = new Set(['PreparingRebalance', 'CompletingRebalance']);
/** The shortest gap between two snapshots published because instances reported new work. */
const PUBLISH_GAP_MS = 40;

/**
 * Makes a topology real: topics on Kafka, an instance per service replica and per source (on the pool of host
 * threads, each instance its own Kafka clients, connections and HTTP listener), REST between them,
 * and the faults the learner injects. Every command is serialised: a run, a stop, an edit and a crash never
 * interleave half-way.
 */
export class Runtime {
  private topology: Topology = EMPTY_TOPOLOGY;
  private running = false;
  private startedAt: number | undefined;
  private readonly instances = new Map<string, Instance[]>();
  private readonly faults = new Map<string, Faults>();
  private readonly assignments = new Map<string, Record<string, number[]>>();
  private readonly rates = new Map<string, number>();
  /** Per materialized-view service, when its last rebuild from the beginning started and how long it took. */
  private readonly rebuilds = new Map<string, { from: number; ms?: number }>();
  /** Per instance, the partitions it holds blocked: topic id -> partition -> reason. */
  private readonly blocked = new Map<string, Map<string, Map<number, string>>>();
  readonly aggregator = new Aggregator();
  readonly ledger = new DeliveryLedger();
  /** One event's journey by trace id, from the hops the services report. */
  readonly traces = new TraceIndex();
  private readonly lag: LagReader;
  private publishTimer: NodeJS.Timeout | undefined;
  private publishQueued = false;
  private lastPublishAt = 0;
  private lagTimer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Required on every instance's HTTP listener; a new one each run. */
  private secret = newRunSecret();
  /** Live frames that threw and were skipped since start (see publish). */
  publishFailures = 0;
  private failingSince: number | undefined;

  constructor(private readonly options: RuntimeOptions) {
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

  private get maxInstances(): number {
    return this.options.maxInstances ?? LIMITS.totalInstances;
  }

  /** Instances of this runtime, running or crashed (a crashed one can be revived: it keeps its place). */
  get instanceCount(): number {
    let count = 0;
    for (const list of this.instances.values()) count += list.length;
    return count;
  }

  private get maxRatePerSec(): number {
    return this.options.maxRatePerSec ?? LIMITS.totalRatePerSec;
  }

  /**
   * Refuses a run or an edit past this lab's own quota when it is lower than the model's (a classroom
   * attendee's share: the document's check only knows LIMITS).
   */
  private checkOwnQuota(topology: Topology, what: string) {
    const instances = instancesOf(topology);
    if (instances > this.maxInstances)
      throw new RuntimeError(409, `${what}: ${tooManyInstances(instances, this.maxInstances)}`, 'nodes');
    const rate = totalRateOf(topology);
    if (rate > this.maxRatePerSec)
      throw new RuntimeError(
        409,
        `${what}: the sources make ${rate} events per second together; this lab's sources make at most ${this.maxRatePerSec} together`,
        'nodes',
      );
  }

  /** Refuses a run, an edit or a scale that would take more than this workspace's share of the server. */
  private checkServerRoom(wanted: number, what: string) {
    const room = this.options.serverRoom?.();
    if (!room || wanted <= room.free) return;
    throw new RuntimeError(
      503,
      `${what} needs ${wanted} instances, but this server runs at most ${room.limit} for all its workspaces and the others use ${room.limit - room.free}: try again when some stop, or run fewer instances`,
      'nodes',
    );
  }

  get isRunning(): boolean {
    return this.running;
  }

  get current(): Topology {
    return this.topology;
  }

  /** Runs commands one at a time, in order. */
  private serial<T>(command: () => Promise<T>): Promise<T> {
    const next = this.queue.then(command, command);
    this.queue = next.catch(() => {});
    return next;
  }

  /** Sets the topology; while running, starts and stops just what changed. */
  apply(next: Topology): Promise<void> {
    return this.serial(async () => {
      const previous = this.topology;
      this.topology = next;
      if (this.running) {
        await this.ensureTopics(next);
        await this.applyLive(previous, next);
      }
      this.publish();
    });
  }

  /**
   * Replaces the topology as one command: every step that can fail (an edit Kafka cannot make, Kafka not
   * answering, the disk refusing the save) comes before anything changes, so it either all happens or
   * nothing does. Then the new topology is applied (while running, just what changed starts or stops).
   */
  replace(next: Topology, save: (topology: Topology) => Promise<void>): Promise<void> {
    return this.serial(async () => {
      await this.checkEdit(next);
      if (this.running) await this.ensureTopics(next);
      try {
        await save(next);
      } catch (err) {
        const why = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
        throw new RuntimeError(503, `The topology could not be saved (${why}); nothing changed`);
      }
      const previous = this.topology;
      this.topology = next;
      if (this.running) await this.applyLive(previous, next);
      this.publish();
    });
  }

  /** Edits Kafka cannot make to a running topology, refused before anything is saved. */
  async checkEdit(next: Topology): Promise<void> {
    if (!this.running) return;
    this.checkOwnQuota(next, 'The edited topology');
    this.checkServerRoom(instancesOf(next), 'The edited topology');
    const topics = next.nodes.filter((n) => n.kind === 'topic');
    const counts = await this.kafkaCall(() =>
      this.options.admin.partitionCountsOf(topics.map((t) => topicName(this.options, t.id))),
    );
    topics.forEach((topic) => {
      const now = counts.get(topicName(this.options, topic.id));
      if (now !== undefined && topic.partitions < now) {
        const index = next.nodes.indexOf(topic);
        throw new RuntimeError(
          409,
          `nodes.${index}.partitions: Kafka cannot take partitions away from "${topic.id}" (it has ${now}); stop and reset the lab to start over with fewer`,
          `nodes.${index}.partitions`,
        );
      }
    });
  }

  run(): Promise<void> {
    return this.serial(async () => {
      if (this.running) throw new RuntimeError(409, 'The topology is already running');
      if (runnable(this.topology).length === 0) {
        throw new RuntimeError(409, 'Nothing to run: add a source or a service first', 'nodes');
      }
      this.checkOwnQuota(this.topology, 'This run');
      this.checkServerRoom(instancesOf(this.topology), 'This run');
      await this.ensureTopics(this.topology);
      this.running = true;
      this.secret = newRunSecret();
      this.startedAt = Date.now();
      try {
        this.options.log.add({ level: 'info', kind: 'run', message: `Run started: ${this.topology.name}` });
        // Services first, and sources only once consumers own their partitions: no event arrives unheard.
        const services = runnable(this.topology).filter((n) => n.kind === 'service');
        await Promise.all(services.map((s) => this.startNode(s.id)));
        await this.waitForAssignments();
        const sources = runnable(this.topology).filter((n) => n.kind === 'source');
        await Promise.all(sources.map((s) => this.startNode(s.id)));
        await this.watchTopics();
        this.publishTimer = setInterval(() => this.publish(), 100);
        this.lagTimer = setInterval(() => void this.readLag(), this.options.lagIntervalMs ?? 1_000);
        void this.readLag();
        this.publish();
      } catch (err) {
        // A run that could not start completely does not half run: what started stops, and the error answers.
        await this.stopAll();
        throw err;
      }
    });
  }

  stop(): Promise<void> {
    return this.serial(() => this.stopAll());
  }

  /** Stops everything and deletes the namespace's topics and groups (and nothing else) from Kafka. */
  reset(): Promise<{ topics: string[]; groups: string[] }> {
    return this.serial(async () => {
      // Kafka must answer before anything stops: a reset it cannot carry out leaves the lab as it was.
      await this.kafkaCall(() => this.options.admin.namespace(this.options.prefix));
      await this.stopAll();
      const removed = await this.kafkaCall(() => this.options.admin.deleteNamespace(this.options.prefix));
      this.aggregator.clear();
      this.ledger.clear();
      this.traces.clear();
      this.lag.clear();
      this.options.observer.forget();
      this.options.log.clear();
      this.startedAt = undefined;
      this.options.log.add({
        level: 'info',
        kind: 'run',
        message: `Reset: deleted ${removed.topics.length} topics and ${removed.groups.length} consumer groups under "${this.options.prefix}"`,
      });
      this.publish();
      return removed;
    });
  }

  /** Stops everything, for server shutdown. */
  close(): Promise<void> {
    return this.serial(() => this.stopAll());
  }

  action(nodeId: string, request: NodeActionRequest): Promise<string> {
    return this.serial(async () => {
      const node = nodeById(this.topology, nodeId);
      if (!node) throw new RuntimeError(404, `No node "${nodeId}" in the topology`, 'id');
      if (node.kind === 'source' && request.action === 'poison') return this.poison(nodeId);
      if (node.kind !== 'service') {
        const hint = node.kind === 'source' ? `; change its rate with POST /api/nodes/${nodeId}/rate` : '';
        throw new RuntimeError(400, `"${nodeId}" is a ${node.kind}: only services take ${request.action}${hint}`, 'id');
      }
      if (!this.running) throw new RuntimeError(409, 'The topology is not running: press Run first');
      const message = await this.applyAction(nodeId, request);
      this.options.log.add({
        level: request.action === 'revive' || request.action === 'scale' ? 'info' : 'warn',
        kind: logKind(request.action),
        nodeId,
        message,
      });
      this.publishEndpoints();
      this.publish();
      return message;
    });
  }

  private poison(nodeId: string): string {
    if (!this.running) throw new RuntimeError(409, 'The topology is not running: press Run first');
    for (const instance of this.instances.get(nodeId) ?? []) instance.send({ type: 'poison' });
    const message = `${nodeId} sent a poison pill: an event no service can process`;
    this.options.log.add({ level: 'warn', kind: 'fault', nodeId, message });
    return message;
  }

  setRate(nodeId: string, perSecond: number): Promise<void> {
    return this.serial(async () => {
      const node = nodeById(this.topology, nodeId);
      if (!node) throw new RuntimeError(404, `No node "${nodeId}" in the topology`, 'id');
      if (node.kind !== 'source')
        throw new RuntimeError(400, `"${nodeId}" is a ${node.kind}: only sources have a rate`, 'id');
      const others = this.topology.nodes.reduce(
        (sum, n) => sum + (n.kind === 'source' && n.id !== nodeId ? (this.rates.get(n.id) ?? n.ratePerSec) : 0),
        0,
      );
      if (others + perSecond > this.maxRatePerSec) {
        throw new RuntimeError(
          400,
          `perSecond: ${perSecond} ev/s would make the sources' total ${others + perSecond} ev/s; the lab's sources make at most ${this.maxRatePerSec} together`,
          'perSecond',
        );
      }
      this.rates.set(nodeId, perSecond);
      for (const instance of this.instances.get(nodeId) ?? []) instance.send({ type: 'rate', perSecond });
      this.options.log.add({
        level: 'info',
        kind: 'fault',
        nodeId,
        message: `${nodeId}: rate set to ${perSecond} ev/s`,
      });
      this.publish();
    });
  }

  messages(topicId: string, limit: number): TopicMessage[] {
    if (!allTopics(this.topology).some((t) => t.id === topicId))
      throw new RuntimeError(404, `No topic "${topicId}" in the topology`, 'id');
    return this.options.observer.latest(topicName(this.options, topicId), limit);
  }

  /** Republishes a dead-letter topic's events to the topic they came from, for the services that failed them. */
  redrive(topicId: string): Promise<RedriveResult> {
    return this.serial(async () => {
      this.messages(topicId, 1); // 404 for an unknown topic
      const origin = topicId.endsWith('.dlq') ? topicId.slice(0, -'.dlq'.length) : undefined;
      if (!origin || nodeById(this.topology, origin)?.kind !== 'topic' || deadLetterTopicId(origin) !== topicId)
        throw new RuntimeError(400, `"${topicId}" is not a dead-letter topic: only <topic>.dlq can be redriven`, 'id');
      if (!this.running) throw new RuntimeError(409, 'The topology is not running: press Run first');
      const result = await this.kafkaCall(() =>
        redrive(createKafka(this.options.brokers, 'lab-redrive', this.options.security), this.options.admin, {
          dlqTopic: topicName(this.options, topicId),
          originTopic: topicName(this.options, origin),
          groupId: `${this.options.prefix}redrive.${topicId}`,
        }),
      );
      const to = Object.entries(result.byService)
        .map(([service, n]) => `${n} for ${service}`)
        .join(', ');
      this.options.log.add({
        level: 'info',
        kind: 'edit',
        nodeId: topicId,
        message: result.redriven
          ? `Redrive: ${result.redriven} events from ${topicId} back to ${origin} (${to})`
          : `Redrive: ${topicId} has no events that were not redriven already`,
      });
      return result;
    });
  }

  // ---- running the parts

  private get runContext() {
    return {
      prefix: this.options.prefix,
      brokers: this.options.brokers,
      security: this.options.security,
      secret: this.secret,
    };
  }

  private async ensureTopics(topology: Topology) {
    const topics = allTopics(topology);
    if (topics.length === 0) return;
    await this.kafkaCall(() =>
      this.options.admin.ensureTopics(
        topics.map((t) => ({ name: topicName(this.options, t.id), partitions: t.partitions })),
      ),
    );
  }

  /** Kafka calls from commands: a Kafka that does not answer is a 503 the user can read, not a crash. */
  private async kafkaCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw new RuntimeError(503, `Kafka did not answer: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async startNode(nodeId: string, count?: number) {
    const node = nodeById(this.topology, nodeId);
    if (!node || node.kind === 'topic') return;
    const wanted = count ?? (node.kind === 'service' ? node.instances : 1);
    const ids = instanceIds(nodeId, wanted);
    const instances = ids.map((id) => this.makeInstance(nodeId, id));
    this.instances.set(nodeId, instances);
    await Promise.all(instances.map((i) => this.startInstance(i)));
  }

  private makeInstance(nodeId: string, instanceId: string): Instance {
    const node = nodeById(this.topology, nodeId) as Parameters<typeof specFor>[2];
    return new Instance(
      instanceId,
      nodeId,
      specFor(this.runContext, this.topology, node, instanceId),
      {
        onStats: (instance, tick) => this.onStats(instance, tick),
        onMessage: (instance, message) => this.onMessage(instance, message),
        onPhase: (instance) => {
          if (instance.phase === 'down') {
            this.aggregator.forgetInstance(instance.nodeId, instance.id);
            this.blocked.delete(instance.id); // its partitions' next owner reports them again
          }
          if (instance.phase === 'running' || instance.phase === 'down') this.publishEndpoints();
        },
      },
      this.options.hosts ?? sharedHosts(),
    );
  }

  private async startInstance(instance: Instance) {
    try {
      await instance.start();
      const faults = this.faults.get(instance.id);
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

  private async waitForAssignments() {
    const deadline = Date.now() + (this.options.assignmentWaitMs ?? 15_000);
    const consuming = [...this.instances.values()]
      .flat()
      .filter((i) => consumeKey(this.topology, i.nodeId) !== '' && i.alive);
    while (Date.now() < deadline && consuming.some((i) => !this.assignments.has(i.id))) {
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async stopAll() {
    if (!this.running) return;
    clearInterval(this.publishTimer);
    clearInterval(this.lagTimer);
    const all = (kind: 'source' | 'service') =>
      [...this.instances.values()].flat().filter((i) => nodeById(this.topology, i.nodeId)?.kind === kind);
    // Sources first, so services can finish what is already on its way.
    await Promise.all(all('source').map((i) => i.stop()));
    await Promise.all(all('service').map((i) => i.stop()));
    await this.options.observer.stop();
    this.instances.clear();
    this.faults.clear();
    this.assignments.clear();
    this.rates.clear();
    this.blocked.clear();
    this.rebuilds.clear();
    this.running = false;
    this.options.log.add({ level: 'info', kind: 'run', message: 'Run stopped' });
    this.publish();
  }

  private async applyLive(previous: Topology, next: Topology) {
    for (const message of apiChanges(previous, next)) this.options.log.add({ level: 'info', kind: 'edit', message });
    const before = new Map(runnable(previous).map((n) => [n.id, n]));
    for (const node of runnable(next)) {
      const old = before.get(node.id);
      before.delete(node.id);
      const instances = this.instances.get(node.id) ?? [];
      if (!old || old.kind !== node.kind) {
        if (old) await this.stopNode(node.id);
        await this.startNode(node.id);
        this.options.log.add({
          level: 'info',
          kind: 'edit',
          nodeId: node.id,
          message: `Started ${node.kind} ${node.id}`,
        });
      } else if (consumeKey(previous, node.id) !== consumeKey(next, node.id)) {
        // kafkajs cannot change a running consumer's topics: the instances restart with the new subscription.
        await this.stopNode(node.id);
        await this.startNode(node.id, node.kind === 'service' ? Math.max(1, instances.length) : 1);
        this.options.log.add({
          level: 'info',
          kind: 'edit',
          nodeId: node.id,
          message: `Restarted ${node.id} with its new topics`,
        });
      } else {
        for (const instance of instances) instance.setSpec(specFor(this.runContext, next, node, instance.id));
        if (node.kind === 'service' && old.kind === 'service' && old.instances !== node.instances)
          await this.scaleTo(node.id, node.instances);
      }
    }
    for (const removed of before.keys()) {
      await this.stopNode(removed);
      this.options.log.add({
        level: 'info',
        kind: 'edit',
        nodeId: removed,
        message: `Stopped ${removed}: removed from the topology`,
      });
    }
    await this.watchTopics();
    this.publishEndpoints();
  }

  private async stopNode(nodeId: string) {
    const instances = this.instances.get(nodeId) ?? [];
    await Promise.all(instances.map((i) => i.stop()));
    for (const i of instances) {
      this.faults.delete(i.id);
      this.assignments.delete(i.id);
    }
    this.instances.delete(nodeId);
  }

  private async scaleTo(nodeId: string, count: number) {
    const instances = this.instances.get(nodeId) ?? [];
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
      for (const i of removed) {
        this.faults.delete(i.id);
        this.assignments.delete(i.id);
      }
    }
  }

  /** What a crash means for this service, in the learner's terms: a consumer's partitions wait, callers fail. */
  private crashConsequence(nodeId: string): string {
    const consumes = this.topology.links.some((l) => l.kind === 'consume' && l.to === nodeId);
    const called = this.topology.links.some((l) => l.kind === 'call' && l.to === nodeId);
    if (consumes) return 'no goodbye to Kafka; its partitions wait for the session timeout';
    if (called) return 'its callers get connection errors until it is revived';
    return 'nothing runs until it is revived';
  }

  private async applyAction(nodeId: string, { action, value, instance: only }: NodeActionRequest): Promise<string> {
    const all = this.instances.get(nodeId) ?? [];
    const scope = only ? all.filter((i) => i.id === only) : all;
    if (only && scope.length === 0) {
      throw new RuntimeError(
        404,
        `No instance "${only}" of "${nodeId}" (instances: ${all.map((i) => i.id).join(', ') || 'none'})`,
        'instance',
      );
    }
    const who = only ?? nodeId;
    const alive = scope.filter((i) => i.alive);
    const setFaults = (change: Partial<Faults>) => {
      for (const i of scope) {
        const faults = { ...(this.faults.get(i.id) ?? NO_FAULTS), ...change };
        this.faults.set(i.id, faults);
        i.send({ type: 'faults', faults });
      }
    };
    switch (action) {
      case 'crash':
        if (alive.length === 0) throw new RuntimeError(409, `${who} is already down`);
        await Promise.all(alive.map((i) => i.crash()));
        return `${who} crashed (${alive.map((i) => i.id).join(', ')}): ${this.crashConsequence(nodeId)}`;
      case 'stop':
        if (alive.length === 0) throw new RuntimeError(409, `${who} is already down`);
        await Promise.all(alive.map((i) => i.stop()));
        return `${who} stopped gracefully: it left its consumer group, so its partitions moved at once`;
      case 'revive': {
        const dead = scope.filter((i) => !i.alive);
        for (const i of scope) this.faults.delete(i.id);
        for (const i of scope.filter((x) => x.alive)) i.send({ type: 'faults', faults: NO_FAULTS });
        await Promise.all(dead.map((i) => this.startInstance(i)));
        return dead.length ? `${who} revived (${dead.map((i) => i.id).join(', ')})` : `${who}: faults cleared`;
      }
      case 'hang':
        if (alive.length === 0) throw new RuntimeError(409, `${who} is down: revive it first`);
        setFaults({ hang: true });
        return `${who} hangs: it accepts inputs and never finishes them`;
      case 'slow': {
        const ms = value ?? 500;
        if (ms < 0 || ms > 60_000)
          throw new RuntimeError(400, 'value: slow takes the added latency in ms, 0..60000', 'value');
        setFaults({ slowMs: ms });
        return ms ? `${who} slowed by ${ms} ms per input` : `${who} no longer slowed`;
      }
      case 'errors': {
        const rate = value ?? 0.5;
        if (rate < 0 || rate > 1)
          throw new RuntimeError(400, 'value: errors takes an error rate between 0 and 1', 'value');
        setFaults({ errorRate: rate });
        return `${who} now fails ${Math.round(rate * 100)}% of its inputs`;
      }
      case 'poison':
        throw new RuntimeError(400, `"${nodeId}" is a service: only sources send a poison pill`, 'id');
      case 'scale': {
        if (only)
          throw new RuntimeError(400, 'instance: scale applies to a whole service, not one instance', 'instance');
        if (value === undefined || !Number.isInteger(value) || value < 1 || value > 8) {
          throw new RuntimeError(400, 'value: scale takes the new number of instances, 1..8', 'value');
        }
        const from = all.length;
        const after = [...this.instances.values()].reduce((sum, list) => sum + list.length, 0) - from + value;
        if (after > this.maxInstances)
          throw new RuntimeError(
            409,
            `value: scaling ${nodeId} to ${value}: ${tooManyInstances(after, this.maxInstances)}`,
            'value',
          );
        this.checkServerRoom(this.instanceCount - from + value, `Scaling ${nodeId} to ${value}`);
        await this.scaleTo(nodeId, value);
        return `${nodeId} scaled from ${from} to ${value} instances`;
      }
    }
  }

  // ---- what the instances report

  private onStats(instance: Instance, tick: StatsTick) {
    this.aggregator.record(instance.nodeId, instance.id, tick);
    for (const [topicId, ids] of Object.entries(tick.produced)) this.ledger.recordProduced(topicId, ids);
    this.traces.add(tick.hops);
    if (tick.handled + tick.failed + tick.emitted > 0) this.publishSoon();
  }

  /**
   * New work reaches the snapshot within PUBLISH_GAP_MS instead of waiting for the next 100 ms publish; a
   * busy topology still publishes at most once per gap, however many instances report.
   */
  private publishSoon() {
    if (this.publishQueued || !this.running) return;
    this.publishQueued = true;
    setTimeout(
      () => {
        this.publishQueued = false;
        if (this.running) this.publish();
      },
      Math.max(0, this.lastPublishAt + PUBLISH_GAP_MS - Date.now()),
    );
  }

  private onMessage(instance: Instance, message: Exclude<FromWorker, StatsTick>) {
    switch (message.type) {
      case 'outcomes':
        for (const [outcome, byTopic] of Object.entries(message.outcomes))
          for (const [topicId, ids] of Object.entries(byTopic))
            this.ledger.record(topicId, instance.nodeId, outcome as Outcome, ids);
        for (const [outcome, byTopic] of Object.entries(message.tentative))
          for (const [topicId, ids] of Object.entries(byTopic))
            this.ledger.record(topicId, instance.nodeId, outcome as Outcome, ids, true);
        for (const [topicId, ids] of Object.entries(message.confirmed))
          this.ledger.confirm(topicId, instance.nodeId, ids);
        for (const [topicId, count] of Object.entries(message.dropped))
          this.ledger.recordDropped(topicId, instance.nodeId, count);
        break;
      case 'seen':
        instance.send({
          type: 'seen',
          ask: message.ask,
          seen: message.eventIds.map((id) => this.ledger.hasProcessed(message.topicId, instance.nodeId, id)),
        });
        break;
      case 'blocked': {
        const byTopic = this.blocked.get(instance.id) ?? new Map<string, Map<number, string>>();
        this.blocked.set(instance.id, byTopic);
        const partitions = byTopic.get(message.topicId) ?? new Map<number, string>();
        byTopic.set(message.topicId, partitions);
        if (message.reason === null) partitions.delete(message.partition);
        else partitions.set(message.partition, message.reason);
        this.options.log.add({
          level: message.reason === null ? 'info' : 'warn',
          kind: 'fault',
          nodeId: instance.nodeId,
          message:
            message.reason === null
              ? `${instance.id}: ${message.topicId} partition ${message.partition} flows again`
              : `${instance.id}: ${message.topicId} partition ${message.partition} is blocked: ${message.reason}`,
        });
        break;
      }
      case 'assignment': {
        instance.rebalancing = false;
        const node = nodeById(this.topology, instance.nodeId);
        if (node?.kind === 'service' && node.behavior.kind === 'view') this.rebuilds.set(node.id, { from: Date.now() });
        this.assignments.set(instance.id, message.partitions);
        const owned = Object.entries(message.partitions)
          .map(
            ([topic, partitions]) =>
              `${topic.slice(this.options.prefix.length)} [${[...partitions].sort((a, b) => a - b).join(', ')}]`,
          )
          .join('; ');
        this.options.log.add({
          level: 'info',
          kind: 'rebalance',
          nodeId: instance.nodeId,
          message: `${instance.id} now owns ${owned || 'no partitions'}`,
        });
        break;
      }
      case 'rebalancing':
        instance.rebalancing = true;
        this.options.log.add({
          level: 'info',
          kind: 'rebalance',
          nodeId: instance.nodeId,
          message: `${instance.id}: its consumer group is rebalancing`,
        });
        break;
      case 'log':
        this.options.log.add({
          level: message.level,
          kind: message.kind,
          nodeId: instance.nodeId,
          message: `${instance.id}: ${message.message}`,
        });
        break;
      case 'fatal':
        this.options.log.add({
          level: 'error',
          kind: 'error',
          nodeId: instance.nodeId,
          message: `${instance.id} failed: ${message.message}`,
        });
        break;
    }
  }

  private publishEndpoints() {
    const endpoints = idRecord<string[]>();
    for (const [nodeId, instances] of this.instances) {
      endpoints[nodeId] = instances.flatMap((i) => (i.phase === 'running' && i.url ? [i.url] : []));
    }
    for (const instance of [...this.instances.values()].flat()) instance.send({ type: 'endpoints', endpoints });
  }

  private async watchTopics() {
    const topics = allTopics(this.topology).map((t) => topicName(this.options, t.id));
    await this.options.observer
      .watch(topics, async (topic) => (await this.options.admin.topicOffsets(topic)).end)
      .catch((err) =>
        this.options.log.add({
          level: 'warn',
          kind: 'kafka',
          message: `Message browser could not subscribe: ${err instanceof Error ? err.message : String(err)}`,
        }),
      );
  }

  private async readLag() {
    const targets: LagTarget[] = allTopics(this.topology).map((topic) => ({
      topicId: topic.id,
      topic: topicName(this.options, topic.id),
      groups: this.topology.links.flatMap((l) =>
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
    for (const instance of this.instances.get(serviceId) ?? []) {
      for (const partition of own(this.assignments.get(instance.id), topic) ?? []) {
        if (!owners[partition] || instance.alive) owners[partition] = instance.id;
      }
    }
    return Array.from(owners, (o) => o ?? '');
  }

  // ---- the snapshot

  /**
   * How long a view's last rebuild took: from its assignment (when it rewound to the beginning) to the first
   * lag read, started after the rewound offsets were committed, that found its group caught up everywhere.
   */
  private rebuildMs(serviceId: string): number | undefined {
    const rebuild = this.rebuilds.get(serviceId);
    if (!rebuild || rebuild.ms !== undefined) return rebuild?.ms;
    const read = this.lag.readStartedAt;
    if (read < rebuild.from + 1_000) return undefined;
    const topics = this.topology.links.filter((l) => l.kind === 'consume' && l.to === serviceId).map((l) => l.from);
    const caughtUp = topics.every((t) => own(own(this.lag.current, t)?.groups, serviceId)?.lag === 0);
    if (caughtUp) rebuild.ms = read - rebuild.from;
    return rebuild.ms;
  }

  private blockedOf(serviceId: string, topicId: string): { partition: number; reason: string }[] {
    const blocked: { partition: number; reason: string }[] = [];
    for (const instance of this.instances.get(serviceId) ?? [])
      for (const [partition, reason] of this.blocked.get(instance.id)?.get(topicId) ?? [])
        blocked.push({ partition, reason });
    return blocked.sort((a, b) => a.partition - b.partition);
  }

  /**
   * Every frame goes through here (the 100 ms timer and every command). One frame that throws must cost that
   * frame only: a throw from the timer would otherwise end the process, and from a command turn a change that
   * took effect into a 500. It is counted, and logged once per burst (not ten times a second).
   */
  private publish() {
    this.lastPublishAt = Date.now();
    try {
      this.options.publish(this.parts());
      this.failingSince = undefined;
    } catch (err) {
      this.publishFailures++;
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

  parts(): Omit<Snapshot, 'kafka' | 'lab' | 'topologyRevision'> {
    const nodes = idRecord<NodeLive>();
    const links = idRecord<LinkLive>();
    for (const node of this.topology.nodes) {
      const numbers = this.aggregator.node(node.id);
      const instances = (this.instances.get(node.id) ?? []).map((i) => ({
        id: i.id,
        status: instanceStatus(i, this.faults.get(i.id)),
      }));
      const groupState = this.lag.stateOf(groupName(this.options, node.id));
      const status = !this.running
        ? 'idle'
        : node.kind === 'service'
          ? serviceStatus(instances, GROUP_REBALANCING.has(groupState ?? ''), numbers.errorRate)
          : node.kind === 'source'
            ? instances.some((i) => i.status !== 'down')
              ? 'running'
              : 'down'
            : 'running';
      const live: NodeLive = { status, instances, ...numbers };
      if (node.kind === 'source') live.targetRate = this.rates.get(node.id) ?? node.ratePerSec;
      const rebuildMs = this.rebuildMs(node.id);
      if (rebuildMs !== undefined) live.rebuildMs = rebuildMs;
      nodes[node.id] = live;
    }
    const topics = this.lag.current;
    for (const link of this.topology.links) {
      const live: LinkLive = this.aggregator.link(link.id);
      links[link.id] = live;
      if (link.kind === 'consume') {
        const group = own(own(topics, link.from)?.groups, link.to);
        if (group) {
          live.lag = group.lag;
          const account = this.ledger.account(link.from, link.to);
          group.duplicates = this.ledger.duplicatesOf(link.from, link.to);
          group.missing = account.pending;
          group.processed = account.processed;
          group.deadLettered = account.deadLettered;
          group.lost = account.lost;
          group.dropped = this.ledger.droppedOf(link.from, link.to);
          group.blocked = this.blockedOf(link.to, link.from);
          group.blockedPartitions = group.blocked.length;
        }
      }
    }
    return { running: this.running, startedAt: this.startedAt, nodes, links, topics, flows: this.aggregator.flows() };
  }
}

/** The topics to create and watch: the drawn ones and the dead-letter topics they imply (one partition each). */
function allTopics(topology: Topology): { id: string; partitions: number }[] {
  const drawn = topology.nodes.flatMap((n) => (n.kind === 'topic' ? [{ id: n.id, partitions: n.partitions }] : []));
  return [...drawn, ...impliedDeadLetterTopics(topology).map((t) => ({ id: t.id, partitions: 1 }))];
}

function logKind(action: NodeActionRequest['action']) {
  return action === 'revive' ? 'revive' : action === 'scale' ? 'scale' : 'fault';
}
