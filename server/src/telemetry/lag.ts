import { type GroupLive, idRecord, own, type TopicLive } from '@lab/model';
import type { LabAdmin } from '../kafka/admin.js';

export interface LagTarget {
  topicId: string;
  topic: string;
  /** Consumer groups reading the topic: service id -> Kafka group id. */
  groups: { serviceId: string; groupId: string; startFrom: 'earliest' | 'latest' }[];
}

/**
 * Reads end offsets and committed offsets from Kafka itself (the admin API) and computes each group's lag.
 * Lag is never counted by the lab: what Kafka says is what the learner sees.
 */
export class LagReader {
  private topics = idRecord<TopicLive>();
  private groupStates = new Map<string, string>();
  private reading = false;
  /** When the read that made the current numbers started (epoch ms). */
  readStartedAt = 0;

  constructor(
    private readonly admin: LabAdmin,
    private readonly onLeaderChange: (topicId: string, partition: number, from: number, to: number) => void = () => {},
  ) {}

  get current(): Record<string, TopicLive> {
    return this.topics;
  }

  stateOf(groupId: string): string | undefined {
    return this.groupStates.get(groupId);
  }

  /** One read of every target. Overlapping calls are skipped: a slow broker must not pile up reads. */
  async read(targets: LagTarget[], owners: (groupId: string, topic: string) => string[]): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    const startedAt = Date.now();
    try {
      const next = idRecord<TopicLive>();
      for (const target of targets) {
        const offsets = await this.admin.topicOffsets(target.topic);
        const groups = idRecord<GroupLive>();
        for (const group of target.groups) {
          const committed = await this.admin.committedOffsets(group.groupId, target.topic);
          groups[group.serviceId] = {
            committed,
            lag: lagOf(offsets.end, offsets.start, committed, group.startFrom),
            owners: owners(group.groupId, target.topic),
            duplicates: 0,
            missing: 0,
          };
        }
        const leaders = await this.admin.leaders(target.topic);
        const before = own(this.topics, target.topicId)?.leaders;
        leaders.forEach((leader, partition) => {
          const was = before?.[partition];
          if (was !== undefined && was !== leader) this.onLeaderChange(target.topicId, partition, was, leader);
        });
        next[target.topicId] = { endOffsets: offsets.end, leaders, groups };
      }
      this.groupStates = await this.admin.groupStates([
        ...new Set(targets.flatMap((t) => t.groups.map((g) => g.groupId))),
      ]);
      this.topics = next;
      this.readStartedAt = startedAt;
    } finally {
      this.reading = false;
    }
  }

  clear(): void {
    this.readStartedAt = 0;
    this.topics = idRecord();
    this.groupStates.clear();
  }
}

/**
 * A group's lag: the events between its committed offset and the end, summed over partitions. Where nothing
 * is committed yet the group starts from the beginning (earliest) or, for latest, has nothing behind it yet.
 */
export function lagOf(end: number[], start: number[], committed: number[], startFrom: 'earliest' | 'latest'): number {
  let lag = 0;
  end.forEach((high, partition) => {
    const offset = committed[partition] ?? -1;
    if (offset >= 0) lag += Math.max(0, high - offset);
    else if (startFrom === 'earliest') lag += Math.max(0, high - (start[partition] ?? 0));
  });
  return lag;
}
