import type { NodeActionRequest, TopicMessage, Topology } from '@lab/model';
import { AppError } from '../errors.js';
import { Aggregator } from '../telemetry/aggregator.js';
import { DeliveryLedger } from '../telemetry/ledger.js';
import { TraceIndex } from '../telemetry/traces.js';
import { CommandQueue } from './command-queue.js';
import { type SaveTopology, TopologyEdits } from './edits.js';
import { FaultBook } from './fault-book.js';
import { FaultInjector } from './faults.js';
import { InstanceLifecycle } from './lifecycle.js';
import type { RuntimeOptions, RuntimeParts } from './options.js';
import { Quota } from './quota.js';
import type { RedriveResult } from './redrive.js';
import { InstanceReports } from './reports.js';
import { RunState } from './run-state.js';
import { SnapshotBuilder } from './snapshot.js';
import { runnable } from './specs.js';
import { kafkaCall, RunTopics } from './topics.js';

export type { RuntimeOptions } from './options.js';

/**
 * Makes a topology real: topics on Kafka, an instance per service replica and per source (on the pool of host
 * threads, each instance its own Kafka clients, connections and HTTP listener), REST between them,
 * and the faults the learner injects.
 *
 * The facade: every command that changes the run goes through one CommandQueue, so a run, a stop, an edit and
 * a crash never interleave half-way; the work is done by one collaborator per job (see README.md).
 */
export class Runtime {
  readonly aggregator = new Aggregator();
  readonly ledger = new DeliveryLedger();
  /** One event's journey by trace id, from the hops the services report. */
  readonly traces: TraceIndex;
  private readonly state = new RunState();
  private readonly queue = new CommandQueue();
  private readonly book = new FaultBook();
  private readonly quota: Quota;
  private readonly topics: RunTopics;
  private readonly lifecycle: InstanceLifecycle;
  private readonly snapshots: SnapshotBuilder;
  private readonly reports: InstanceReports;
  private readonly edits: TopologyEdits;
  private readonly faults: FaultInjector;

  constructor(private readonly options: RuntimeOptions) {
    this.traces = new TraceIndex(options.traceCapacity);
    const { state, book } = this;
    const telemetry = { aggregator: this.aggregator, ledger: this.ledger, traces: this.traces };
    this.quota = new Quota(options);
    this.topics = new RunTopics(options, state);
    // Instances report to `reports`, made below: none starts before a command runs, after this constructor.
    this.lifecycle = new InstanceLifecycle(options, state, book, this.quota, {
      onStats: (instance, tick) => this.reports.stats(instance, tick),
      onMessage: (instance, message) => this.reports.message(instance, message),
      onDown: (instance) => this.reports.down(instance),
    });
    this.snapshots = new SnapshotBuilder(options, state, telemetry, book, this.lifecycle);
    this.reports = new InstanceReports(options, state, telemetry, book, this.lifecycle, this.snapshots);
    this.edits = new TopologyEdits(options, state, this.quota, this.topics, this.lifecycle, this.snapshots);
    this.faults = new FaultInjector(options, state, book, this.lifecycle, this.quota, () => this.snapshots.publish());
  }

  /** Instances of this runtime, running or crashed (a crashed one can be revived: it keeps its place). */
  get instanceCount(): number {
    return this.lifecycle.count;
  }

  get isRunning(): boolean {
    return this.state.running;
  }

  get current(): Topology {
    return this.state.topology;
  }

  /** Live frames that threw and were skipped since start. */
  get publishFailures(): number {
    return this.snapshots.publishFailures;
  }

  /** Sets a topology that is saved already (the server starting); while running, starts and stops just what changed. */
  apply(next: Topology): Promise<void> {
    return this.queue.run(() => this.edits.load(next));
  }

  /**
   * Replaces the topology as one command: checked, saved with `save`, then applied (see TopologyEdits). The one
   * entry point for a new document, whoever sends it (the editor's PUT, a lab's start or step, a restore);
   * `first` stops the run, or resets the namespace, in the same command (a lab starting afresh), so no other
   * command can land between the two.
   */
  replace(next: Topology, save: SaveTopology, first?: 'stop' | 'reset'): Promise<void> {
    return this.queue.run(async () => {
      if (first) await this.stopAll();
      if (first === 'reset') await this.resetNow();
      await this.edits.replace(next, save);
    });
  }

  run(): Promise<void> {
    return this.queue.run(async () => {
      const { topology } = this.state;
      if (this.state.running) throw new AppError(409, 'The topology is already running');
      if (runnable(topology).length === 0) {
        throw new AppError(409, 'Nothing to run: add a source or a service first', 'nodes');
      }
      this.quota.checkTopology(topology, 'This run');
      await this.topics.ensure(topology);
      this.state.running = true;
      this.state.startedAt = Date.now();
      try {
        this.options.log.add({ level: 'info', kind: 'run', message: `Run started: ${topology.name}` });
        // Services first, and sources only once consumers own their partitions: no event arrives unheard.
        await this.lifecycle.startAll();
        await this.topics.watch();
        this.snapshots.start();
      } catch (err) {
        // A run that could not start completely does not half run: what started stops, and the error answers.
        await this.stopAll();
        throw err;
      }
    });
  }

  stop(): Promise<void> {
    return this.queue.run(() => this.stopAll());
  }

  /** Stops everything and deletes the namespace's topics and groups (and nothing else) from Kafka. */
  reset(): Promise<{ topics: string[]; groups: string[] }> {
    return this.queue.run(() => this.resetNow());
  }

  /** Inside a command: the reset itself. */
  private async resetNow(): Promise<{ topics: string[]; groups: string[] }> {
    const { admin, prefix, log } = this.options;
    // Kafka must answer before anything stops: a reset it cannot carry out leaves the lab as it was.
    await kafkaCall(() => admin.namespace(prefix));
    await this.stopAll();
    const removed = await kafkaCall(() => admin.deleteNamespace(prefix));
    this.aggregator.clear();
    this.ledger.clear();
    this.traces.clear();
    this.snapshots.forgetLag();
    this.options.observer.forget();
    log.clear();
    this.state.startedAt = undefined;
    log.add({
      level: 'info',
      kind: 'run',
      message: `Reset: deleted ${removed.topics.length} topics and ${removed.groups.length} consumer groups under "${prefix}"`,
    });
    this.snapshots.publish();
    return removed;
  }

  /** Stops everything, for server shutdown. */
  close(): Promise<void> {
    return this.queue.run(() => this.stopAll());
  }

  /** Breaks or mends a service (or one instance), or makes a source send a poison pill; answers what happened. */
  action(nodeId: string, request: NodeActionRequest): Promise<string> {
    return this.queue.run(() => this.faults.action(nodeId, request));
  }

  setRate(nodeId: string, perSecond: number): Promise<void> {
    return this.queue.run(async () => {
      this.lifecycle.setRate(nodeId, perSecond);
      this.options.log.add({
        level: 'info',
        kind: 'fault',
        nodeId,
        message: `${nodeId}: rate set to ${perSecond} ev/s`,
      });
      this.snapshots.publish();
    });
  }

  messages(topicId: string, limit: number): TopicMessage[] {
    return this.topics.messages(topicId, limit);
  }

  /** Republishes a dead-letter topic's events to the topic they came from, for the services that failed them. */
  redrive(topicId: string): Promise<RedriveResult> {
    return this.queue.run(() => this.topics.redrive(topicId));
  }

  parts(): RuntimeParts {
    return this.snapshots.parts();
  }

  /** Inside a command: stops every instance and forgets the run's faults, assignments, rates and rebuilds. */
  private async stopAll() {
    if (!this.state.running) return;
    this.snapshots.stop();
    await this.lifecycle.stopAll();
    await this.options.observer.stop();
    this.lifecycle.clear();
    this.book.clear();
    this.snapshots.runEnded();
    this.state.running = false;
    this.options.log.add({ level: 'info', kind: 'run', message: 'Run stopped' });
    this.snapshots.publish();
  }
}
