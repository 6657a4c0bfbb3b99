/** How one consuming service finished one event. An event with none of these is still pending. */
export type Outcome = 'processed' | 'deadLettered' | 'lost';
export const OUTCOMES: readonly Outcome[] = ['processed', 'deadLettered', 'lost'];

/** A group's account of a topic: every acknowledged event is in exactly one of these four. */
export interface Account {
  processed: number;
  deadLettered: number;
  lost: number;
  pending: number;
}

/**
 * Which events reached Kafka and how each consumer group finished them, by event id: how the lab proves
 * "nothing lost" (or says what was lost), and counts at-least-once duplicates. An event's outcome can change:
 * a dead-lettered event redriven and then processed becomes processed. Bounded: past `cap` ids a topic stops
 * being tracked (and says so) rather than growing without end.
 */
export class DeliveryLedger {
  private readonly produced = new Map<string, Set<string>>();
  private readonly outcomes = new Map<string, Map<string, Map<string, Outcome>>>();
  private readonly duplicates = new Map<string, number>();
  private readonly dropped = new Map<string, number>();
  /** Per topic and group, how many produced ids end in each outcome: the account in O(1). */
  private readonly counts = new Map<string, Record<Outcome, number>>();
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
      // An event may be finished before its producer's acknowledgement is recorded.
      for (const [groupId, done] of this.outcomes.get(topicId) ?? []) {
        const outcome = done.get(id);
        if (outcome) this.countsOf(topicId, groupId)[outcome]++;
      }
    }
  }

  private countsOf(topicId: string, groupId: string): Record<Outcome, number> {
    const key = `${topicId}\u0000${groupId}`;
    let counts = this.counts.get(key);
    if (!counts) {
      counts = { processed: 0, deadLettered: 0, lost: 0 };
      this.counts.set(key, counts);
    }
    return counts;
  }

  /**
   * Records how the group finished events. Processing an event already processed is a duplicate; any other
   * later outcome replaces the earlier one (a redriven event that succeeds is processed, not dead-lettered).
   */
  record(topicId: string, groupId: string, outcome: Outcome, ids: string[]): void {
    const byGroup = this.outcomes.get(topicId) ?? new Map<string, Map<string, Outcome>>();
    this.outcomes.set(topicId, byGroup);
    const done = byGroup.get(groupId) ?? new Map<string, Outcome>();
    byGroup.set(groupId, done);
    const key = `${topicId}\u0000${groupId}`;
    const produced = this.produced.get(topicId);
    const counts = this.countsOf(topicId, groupId);
    for (const id of ids) {
      const before = done.get(id);
      if (before === 'processed') {
        if (outcome === 'processed') this.duplicates.set(key, (this.duplicates.get(key) ?? 0) + 1);
        continue; // once processed, a later failure of a redelivered copy does not undo it
      }
      if (before === undefined && done.size >= this.cap) {
        this.truncated.add(topicId);
        continue;
      }
      done.set(id, outcome);
      if (produced?.has(id)) {
        if (before) counts[before]--;
        counts[outcome]++;
      }
    }
  }

  recordProcessed(topicId: string, groupId: string, ids: string[]): void {
    this.record(topicId, groupId, 'processed', ids);
  }

  /** An idempotent consumer recognised an event it had processed and dropped it. */
  recordDropped(topicId: string, groupId: string, count: number): void {
    const key = `${topicId}\u0000${groupId}`;
    this.dropped.set(key, (this.dropped.get(key) ?? 0) + count);
  }

  /** Whether the group has processed this event: the store an idempotent consumer checks. */
  hasProcessed(topicId: string, groupId: string, id: string): boolean {
    return this.outcomes.get(topicId)?.get(groupId)?.get(id) === 'processed';
  }

  account(topicId: string, groupId: string): Account {
    const counts = this.countsOf(topicId, groupId);
    const finished = counts.processed + counts.deadLettered + counts.lost;
    return { ...counts, pending: this.producedCount(topicId) - finished };
  }

  /** Produced events the group has not finished in any way, counted without scanning. */
  missingCount(topicId: string, groupId: string): number {
    return this.account(topicId, groupId).pending;
  }

  duplicatesOf(topicId: string, groupId: string): number {
    return this.duplicates.get(`${topicId}\u0000${groupId}`) ?? 0;
  }

  droppedOf(topicId: string, groupId: string): number {
    return this.dropped.get(`${topicId}\u0000${groupId}`) ?? 0;
  }

  /** Events on the topic the group has not finished in any way (yet). With lag 0 these went missing. */
  missing(topicId: string, groupId: string): { count: number; sample: string[]; tracked: boolean } {
    const produced = this.produced.get(topicId) ?? new Set<string>();
    const done = this.outcomes.get(topicId)?.get(groupId) ?? new Map<string, Outcome>();
    const sample: string[] = [];
    let count = 0;
    for (const id of produced) {
      if (done.has(id)) continue;
      count++;
      if (sample.length < 10) sample.push(id);
    }
    return { count, sample, tracked: !this.truncated.has(topicId) };
  }

  /** A few ids of events the group ended in `outcome`, for the delivery report. */
  sampleOf(topicId: string, groupId: string, outcome: Outcome, size = 10): string[] {
    const sample: string[] = [];
    for (const [id, o] of this.outcomes.get(topicId)?.get(groupId) ?? []) {
      if (o !== outcome) continue;
      sample.push(id);
      if (sample.length >= size) break;
    }
    return sample;
  }

  producedCount(topicId: string): number {
    return this.produced.get(topicId)?.size ?? 0;
  }

  processedCount(topicId: string, groupId: string): number {
    let count = 0;
    for (const o of this.outcomes.get(topicId)?.get(groupId)?.values() ?? []) if (o === 'processed') count++;
    return count;
  }

  clear(): void {
    this.produced.clear();
    this.outcomes.clear();
    this.duplicates.clear();
    this.dropped.clear();
    this.counts.clear();
    this.truncated.clear();
  }
}
