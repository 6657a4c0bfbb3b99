/**
 * Which events reached Kafka and which each consumer group finished, by event id: how the lab proves
 * "nothing lost" and counts at-least-once duplicates. Bounded: past `cap` ids a topic stops being tracked
 * (and says so) rather than growing without end.
 */
export class DeliveryLedger {
  private readonly produced = new Map<string, Set<string>>();
  private readonly processed = new Map<string, Map<string, Set<string>>>();
  private readonly duplicates = new Map<string, number>();
  /** Per topic and group, how many produced ids the group has processed: missing = produced − matched, in O(1). */
  private readonly matched = new Map<string, number>();
  private readonly truncated = new Set<string>();

  constructor(private readonly cap = 500_000) {}

  recordProduced(topicId: string, ids: string[]): void {
    const set = this.produced.get(topicId) ?? new Set();
    this.produced.set(topicId, set);
    for (const id of ids) {
      if (set.size >= this.cap) {
        this.truncated.add(topicId);
        return;
      }
      if (set.has(id)) continue;
      set.add(id);
      // An event may be processed before its producer's acknowledgement is recorded.
      for (const [groupId, done] of this.processed.get(topicId) ?? []) if (done.has(id)) this.bump(topicId, groupId);
    }
  }

  private bump(topicId: string, groupId: string) {
    const key = `${topicId}\u0000${groupId}`;
    this.matched.set(key, (this.matched.get(key) ?? 0) + 1);
  }

  /** Produced events the group has not finished, counted without scanning. */
  missingCount(topicId: string, groupId: string): number {
    return this.producedCount(topicId) - (this.matched.get(`${topicId}\u0000${groupId}`) ?? 0);
  }

  recordProcessed(topicId: string, groupId: string, ids: string[]): void {
    const byGroup = this.processed.get(topicId) ?? new Map<string, Set<string>>();
    this.processed.set(topicId, byGroup);
    const set = byGroup.get(groupId) ?? new Set<string>();
    byGroup.set(groupId, set);
    const key = `${topicId}\u0000${groupId}`;
    for (const id of ids) {
      if (set.has(id)) this.duplicates.set(key, (this.duplicates.get(key) ?? 0) + 1);
      else if (set.size < this.cap) {
        set.add(id);
        if (this.produced.get(topicId)?.has(id)) this.bump(topicId, groupId);
      } else this.truncated.add(topicId);
    }
  }

  duplicatesOf(topicId: string, groupId: string): number {
    return this.duplicates.get(`${topicId}\u0000${groupId}`) ?? 0;
  }

  /** Events on the topic the group has not finished (yet). With lag 0 these are lost. */
  missing(topicId: string, groupId: string): { count: number; sample: string[]; tracked: boolean } {
    const produced = this.produced.get(topicId) ?? new Set<string>();
    const done = this.processed.get(topicId)?.get(groupId) ?? new Set<string>();
    const sample: string[] = [];
    let count = 0;
    for (const id of produced) {
      if (done.has(id)) continue;
      count++;
      if (sample.length < 10) sample.push(id);
    }
    return { count, sample, tracked: !this.truncated.has(topicId) };
  }

  producedCount(topicId: string): number {
    return this.produced.get(topicId)?.size ?? 0;
  }

  processedCount(topicId: string, groupId: string): number {
    return this.processed.get(topicId)?.get(groupId)?.size ?? 0;
  }

  clear(): void {
    this.produced.clear();
    this.processed.clear();
    this.duplicates.clear();
    this.matched.clear();
    this.truncated.clear();
  }
}
