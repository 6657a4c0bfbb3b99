import type { LogEntry } from '@lab/model';
import type { Aggregator } from '../telemetry/aggregator.js';
import type { DeliveryLedger, Outcome } from '../telemetry/ledger.js';
import type { TraceIndex } from '../telemetry/traces.js';
import type { FaultBook } from './fault-book.js';
import type { Instance } from './instance.js';
import type { InstanceLifecycle } from './lifecycle.js';
import type { FromWorker, StatsTick } from './messages.js';
import type { RuntimeOptions } from './options.js';
import type { RunState } from './run-state.js';
import type { SnapshotBuilder } from './snapshot.js';
import { nodeById } from './specs.js';

/**
 * What the instances report, taken in: their numbers to the aggregator, delivery ledger and trace index, their
 * blocked partitions and assignments to who keeps them, their news to the event log.
 */
export class InstanceReports {
  constructor(
    private readonly options: RuntimeOptions,
    private readonly state: RunState,
    private readonly telemetry: { aggregator: Aggregator; ledger: DeliveryLedger; traces: TraceIndex },
    private readonly book: FaultBook,
    private readonly lifecycle: InstanceLifecycle,
    private readonly snapshots: SnapshotBuilder,
  ) {}

  stats(instance: Instance, tick: StatsTick): void {
    const { aggregator, ledger, traces } = this.telemetry;
    aggregator.record(instance.nodeId, instance.id, tick);
    for (const [topicId, ids] of Object.entries(tick.produced)) ledger.recordProduced(topicId, ids);
    traces.add(tick.hops);
    if (tick.handled + tick.failed + tick.emitted > 0) this.snapshots.publishSoon();
  }

  /** An instance went down: its numbers stop counting, and its partitions' next owner reports them blocked again. */
  down(instance: Instance): void {
    this.telemetry.aggregator.forgetInstance(instance.nodeId, instance.id);
    this.book.unblock(instance.id);
  }

  message(instance: Instance, message: Exclude<FromWorker, StatsTick>): void {
    const { ledger } = this.telemetry;
    switch (message.type) {
      case 'outcomes':
        for (const [outcome, byTopic] of Object.entries(message.outcomes))
          for (const [topicId, ids] of Object.entries(byTopic))
            ledger.record(topicId, instance.nodeId, outcome as Outcome, ids);
        for (const [outcome, byTopic] of Object.entries(message.tentative))
          for (const [topicId, ids] of Object.entries(byTopic))
            ledger.record(topicId, instance.nodeId, outcome as Outcome, ids, true);
        for (const [topicId, ids] of Object.entries(message.confirmed)) ledger.confirm(topicId, instance.nodeId, ids);
        for (const [topicId, count] of Object.entries(message.dropped))
          ledger.recordDropped(topicId, instance.nodeId, count);
        break;
      case 'seen':
        instance.send({
          type: 'seen',
          ask: message.ask,
          seen: message.eventIds.map((id) => ledger.hasProcessed(message.topicId, instance.nodeId, id)),
        });
        break;
      case 'blocked':
        this.book.block(instance.id, message.topicId, message.partition, message.reason);
        this.log(
          instance,
          message.reason === null ? 'info' : 'warn',
          'fault',
          message.reason === null
            ? `${instance.id}: ${message.topicId} partition ${message.partition} flows again`
            : `${instance.id}: ${message.topicId} partition ${message.partition} is blocked: ${message.reason}`,
        );
        break;
      case 'assignment': {
        instance.rebalancing = false;
        const node = nodeById(this.state.topology, instance.nodeId);
        if (node?.kind === 'service' && node.behavior.kind === 'view') this.snapshots.rebuildStarted(node.id);
        this.lifecycle.assign(instance.id, message.partitions);
        const owned = Object.entries(message.partitions)
          .map(
            ([topic, partitions]) =>
              `${topic.slice(this.options.prefix.length)} [${[...partitions].sort((a, b) => a - b).join(', ')}]`,
          )
          .join('; ');
        this.log(instance, 'info', 'rebalance', `${instance.id} now owns ${owned || 'no partitions'}`);
        break;
      }
      case 'rebalancing':
        instance.rebalancing = true;
        this.log(instance, 'info', 'rebalance', `${instance.id}: its consumer group is rebalancing`);
        break;
      case 'log':
        this.log(instance, message.level, message.kind, `${instance.id}: ${message.message}`);
        break;
      case 'fatal':
        this.log(instance, 'error', 'error', `${instance.id} failed: ${message.message}`);
        break;
    }
  }

  private log(instance: Instance, level: LogEntry['level'], kind: LogEntry['kind'], message: string) {
    this.options.log.add({ level, kind, nodeId: instance.nodeId, message });
  }
}
