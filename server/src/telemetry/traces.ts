import type { Journey } from '@lab/model';
import type { HopRecord } from '../runtime/messages.js';

/** Journeys a lab keeps when it has the server to itself. */
export const DEFAULT_TRACE_CAPACITY = 10_000;
/**
 * Journeys all named workspaces of one server keep together. A full index of 10,000 traces of three hops
 * holds ~30 MB (measured), so thirty attendees at the single lab's 10,000 each would hold ~900 MB: the index
 * that filled up over a classroom's first minutes was most of the 10-minute bench's growth.
 */
export const SERVER_TRACE_BUDGET = 60_000;

/**
 * A named workspace's share of the budget (2,000 with MAX_WORKSPACES 30: about a minute of a lab's events),
 * never below 1,000 and never above what a lab alone keeps.
 */
export function traceCapacityFor(maxWorkspaces: number): number {
  const share = Math.floor(SERVER_TRACE_BUDGET / Math.max(1, maxWorkspaces));
  return Math.max(1_000, Math.min(DEFAULT_TRACE_CAPACITY, share));
}

/**
 * One event's journey, found by its trace id: a bounded index of trace id → hops, filled as services report
 * the events they handled. The oldest traces leave first; a trace keeps at most `hopsPerTrace` hops (a
 * redelivered event adds a hop, so a trace cannot grow without end either).
 */
export class TraceIndex {
  private readonly traces = new Map<string, Journey>();
  /** Per topic, the latest trace ids read from it: "follow the latest payment". */
  private readonly latest = new Map<string, string[]>();

  constructor(
    readonly capacity = DEFAULT_TRACE_CAPACITY,
    private readonly hopsPerTrace = 40,
  ) {}

  add(hops: HopRecord[]): void {
    for (const { traceId, origin, originTime, ...hop } of hops) {
      let journey = this.traces.get(traceId);
      if (!journey) {
        journey = { traceId, origin, originTime, hops: [] };
        this.traces.set(traceId, journey);
        if (this.traces.size > this.capacity) this.traces.delete(this.traces.keys().next().value as string);
      }
      if (journey.hops.length < this.hopsPerTrace) journey.hops.push(hop);
      if ('topic' in hop.input) {
        const list = this.latest.get(hop.input.topic) ?? [];
        this.latest.set(hop.input.topic, list);
        list.push(traceId);
        if (list.length > 20) list.shift();
      }
    }
  }

  find(traceId: string): Journey | undefined {
    const journey = this.traces.get(traceId);
    return journey && { ...journey, hops: [...journey.hops] };
  }

  /** A recent trace read from this topic whose journey is still indexed, if any. */
  latestOn(topicId: string): string | undefined {
    const list = this.latest.get(topicId) ?? [];
    // Not the very newest: their later hops may not have happened yet.
    return list
      .slice(0, Math.max(1, list.length - 5))
      .reverse()
      .find((id) => this.traces.has(id));
  }

  get size(): number {
    return this.traces.size;
  }

  clear(): void {
    this.traces.clear();
    this.latest.clear();
  }
}
