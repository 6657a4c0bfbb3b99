import { idRecord, ownOrAdd } from '@lab/model';
import type { HopRecord, LinkTick, StatsTick } from '../messages.js';

const MAX_LATENCIES = 250;
/** Hops reported per tick (~100 ms): thousands of events a second still leave a journey for most of them. */
const MAX_HOPS = 300;
const MAX_SAMPLES = 4;

/**
 * Counters an instance gathers between two ticks; `take` hands them over and starts afresh.
 * Processed event ids are the exception: they leave at once (in a microtask, before kafkajs can commit the
 * offset), so a crash right after a commit cannot make an event look unprocessed in the delivery ledger.
 */
export class StatsCollector {
  private urgent = idRecord<string[]>();
  private flushScheduled = false;

  constructor(private readonly postProcessed: (processed: Record<string, string[]>) => void = () => {}) {}

  handled = 0;
  failed = 0;
  emitted = 0;
  inFlight = 0;
  private latencies: number[] = [];
  private links = idRecord<LinkTick>();
  private produced = idRecord<string[]>();
  private flows = idRecord<number[]>();
  private hops: HopRecord[] = [];

  hop(record: HopRecord): void {
    if (this.hops.length < MAX_HOPS) this.hops.push(record);
  }

  latency(ms: number): void {
    if (this.latencies.length < MAX_LATENCIES) this.latencies.push(ms);
  }

  link(linkId: string, outcome: 'ok' | 'failed' | 'timeout', ms: number, traceId?: string): void {
    const tick = this.linkTick(linkId);
    if (outcome === 'ok') tick.ok++;
    else tick.failed++;
    if (outcome === 'timeout') tick.timeouts++;
    if (tick.latencies.length < MAX_LATENCIES) tick.latencies.push(ms);
    if (traceId && tick.samples.length < MAX_SAMPLES) tick.samples.push(traceId);
  }

  circuit(linkId: string, state: LinkTick['circuit']): void {
    this.linkTick(linkId).circuit = state;
  }

  private linkTick(linkId: string): LinkTick {
    return ownOrAdd<LinkTick>(this.links, linkId, () => ({
      ok: 0,
      failed: 0,
      timeouts: 0,
      latencies: [],
      samples: [],
    }));
  }

  produce(topicId: string, eventId: string): void {
    listIn(this.produced, topicId).push(eventId);
  }

  process(topicId: string, eventId: string): void {
    listIn(this.urgent, topicId).push(eventId);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      const processed = this.urgent;
      this.urgent = idRecord();
      this.postProcessed(processed);
    });
  }

  flow(originId: string, ms: number): void {
    const list = listIn(this.flows, originId);
    if (list.length < MAX_LATENCIES) list.push(ms);
  }

  /** Whether anything was handled, failed or sent since the last take. */
  hasNews(): boolean {
    return this.handled + this.failed + this.emitted > 0;
  }

  take(): StatsTick {
    const tick: StatsTick = {
      type: 'stats',
      handled: this.handled,
      failed: this.failed,
      emitted: this.emitted,
      inFlight: this.inFlight,
      latencies: this.latencies,
      links: this.links,
      produced: this.produced,
      flows: this.flows,
      hops: this.hops,
    };
    this.hops = [];
    this.handled = 0;
    this.failed = 0;
    this.emitted = 0;
    this.latencies = [];
    this.links = idRecord();
    this.produced = idRecord();
    this.flows = idRecord();
    return tick;
  }
}

function listIn<T>(record: Record<string, T[]>, key: string): T[] {
  return ownOrAdd(record, key, () => []);
}
