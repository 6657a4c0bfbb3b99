import { type GroupLive, idRecord, own, type TopicLive } from '@lab/model';
import type { LabAdmin } from '../kafka/admin.js';

export interface LagTarget {
  topicId: string;
  topic: string;
  /** Consumer groups reading the topic: service id -> Kafka group id. */
  groups: { serviceId: string; groupId: string; startFrom: 'earliest' | 'latest' }[];
}

/** One group's numbers as Kafka gave them; the ledger's accounts are added by whoever builds the snapshot. */
export type GroupLag = Readonly<Pick<GroupLive, 'committed' | 'lag' | 'owners'>>;
/** One topic as the last read found it. */
export type TopicLag = Readonly<Omit<TopicLive, 'groups'> & { groups: Readonly<Record<string, GroupLag>> }>;

/**
 * Reads end offsets and committed offsets from Kafka itself (the admin API) and computes each group's lag.
 * Lag is never counted by the lab: what Kafka says is what the learner sees. What it read is frozen: readers
 * derive their own objects from it and cannot change the numbers under the next reader.
 */
export class LagReader {
  private topics: Readonly<Record<string, TopicLag>> = Object.freeze(idRecord<TopicLag>());
  private groupStates = new Map<string, string>();
  private reading = false;
  private startedAt = 0;

  constructor(
    private readonly admin: LabAdmin,
    private readonly onLeaderChange: (topicId: string, partition: number, from: number, to: number) => void = () => {},
  ) {}

  /** Every watched topic's offsets, leaders and groups, as of the last read. */
  get current(): Readonly<Record<string, TopicLag>> {
    return this.topics;
  }

  /** When the read that made the current numbers started (epoch ms; 0 before the first). */
  get readStartedAt(): number {
    return this.startedAt;
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
      const next = idRecord<TopicLag>();
      for (const target of targets) {
        const offsets = await this.admin.topicOffsets(target.topic);
        const groups = idRecord<GroupLag>();
        for (const group of target.groups) {
          const committed = await this.admin.committedOffsets(group.groupId, target.topic);
          groups[group.serviceId] = Object.freeze({
            committed,
            lag: lagOf(offsets.end, offsets.start, committed, group.startFrom),
            owners: owners(group.groupId, target.topic),
          });
        }
        const leaders = await this.admin.leaders(target.topic);
        const before = own(this.topics, target.topicId)?.leaders;
        leaders.forEach((leader, partition) => {
          const was = before?.[partition];
          if (was !== undefined && was !== leader) this.onLeaderChange(target.topicId, partition, was, leader);
        });
        next[target.topicId] = Object.freeze({ endOffsets: offsets.end, leaders, groups: Object.freeze(groups) });
      }
      this.groupStates = await this.admin.groupStates([
        ...new Set(targets.flatMap((t) => t.groups.map((g) => g.groupId))),
      ]);
      this.topics = Object.freeze(next);
      this.startedAt = startedAt;
    } finally {
      this.reading = false;
    }
  }

  clear(): void {
    this.startedAt = 0;
    this.topics = Object.freeze(idRecord<TopicLag>());
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
