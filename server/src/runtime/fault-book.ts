import type { Faults } from './messages.js';

export const NO_FAULTS: Faults = { hang: false, slowMs: 0, errorRate: undefined };

export interface BlockedPartition {
  partition: number;
  reason: string;
}

/**
 * What is wrong with each instance: the faults the learner injected (re-sent when an instance starts again)
 * and the partitions it holds blocked behind an event it keeps failing (as it reports them).
 */
export class FaultBook {
  private readonly faults = new Map<string, Faults>();
  /** Per instance: topic id -> partition -> reason. */
  private readonly blocked = new Map<string, Map<string, Map<number, string>>>();

  of(instanceId: string): Faults | undefined {
    return this.faults.get(instanceId);
  }

  /** Adds to an instance's faults and answers them all, to be sent to it. */
  change(instanceId: string, change: Partial<Faults>): Faults {
    const faults = { ...(this.faults.get(instanceId) ?? NO_FAULTS), ...change };
    this.faults.set(instanceId, faults);
    return faults;
  }

  /** An instance reports a partition blocked (with why) or flowing again (null). */
  block(instanceId: string, topicId: string, partition: number, reason: string | null): void {
    const byTopic = this.blocked.get(instanceId) ?? new Map<string, Map<number, string>>();
    this.blocked.set(instanceId, byTopic);
    const partitions = byTopic.get(topicId) ?? new Map<number, string>();
    byTopic.set(topicId, partitions);
    if (reason === null) partitions.delete(partition);
    else partitions.set(partition, reason);
  }

  /** A down instance holds nothing: its partitions' next owner reports them again. */
  unblock(instanceId: string): void {
    this.blocked.delete(instanceId);
  }

  /** The partitions of a topic that these instances hold blocked, in partition order. */
  blockedOf(instanceIds: string[], topicId: string): BlockedPartition[] {
    const blocked: BlockedPartition[] = [];
    for (const id of instanceIds)
      for (const [partition, reason] of this.blocked.get(id)?.get(topicId) ?? []) blocked.push({ partition, reason });
    return blocked.sort((a, b) => a.partition - b.partition);
  }

  /** Its injected faults dropped: revived (it runs as drawn), or removed (stopped with its node, scaled away). */
  forget(instanceId: string): void {
    this.faults.delete(instanceId);
  }

  /** The run stopped. */
  clear(): void {
    this.faults.clear();
    this.blocked.clear();
  }
}
