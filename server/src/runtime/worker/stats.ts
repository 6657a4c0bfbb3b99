import { idRecord, ownOrAdd } from '@lab/model';
import type { Outcome } from '../../telemetry/ledger.js';
import type { BehaviorTick, HopRecord, LinkTick, Outcomes, StatsTick } from '../messages.js';

const MAX_LATENCIES = 250;
/** Hops reported per tick (~100 ms): thousands of events a second still leave a journey for most of them. */
const MAX_HOPS = 300;
const MAX_SAMPLES = 4;

/**
 * Counters an instance gathers between two ticks; `take` hands them over and starts afresh.
 * How events ended (processed, dead-lettered, lost) is the exception: it leaves at once (in a microtask,
 * before kafkajs can commit the offset), so a crash right after a commit cannot make an event look
 * unfinished in the delivery ledger.
 */
export class StatsCollector {
  private urgent: Outcomes = {};
  private tentative: Outcomes = {};
  private confirmed = idRecord<string[]>();
  private dropped = idRecord<number>();
  private flushScheduled = false;

  constructor(
    private readonly postOutcomes: (
      outcomes: Outcomes,
      dropped: Record<string, number>,
      tentative: Outcomes,
      confirmed: Record<string, string[]>,
    ) => void = () => {},
  ) {}

  handled = 0;
  failed = 0;
  emitted = 0;
  inFlight = 0;
  private latencies: number[] = [];
  private links = idRecord<LinkTick>();
  private produced = idRecord<string[]>();
  private flows = idRecord<number[]>();
  private hops: HopRecord[] = [];

  /** Whether a hop would still be kept this tick: a busy instance skips building the rest. */
  wantsHop(): boolean {
    return this.hops.length < MAX_HOPS;
  }

  hop(record: HopRecord): void {
    if (this.hops.length < MAX_HOPS) this.hops.push(record);
  }
  behavior: BehaviorTick = emptyBehavior();

  latency(ms: number): void {
    if (this.latencies.length < MAX_LATENCIES) this.latencies.push(ms);
  }

  link(linkId: string, outcome: 'ok' | 'failed' | 'timeout', ms: number, traceId?: string, reason?: string): void {
    const tick = this.linkTick(linkId);
    if (outcome === 'ok') tick.ok++;
    else tick.failed++;
    if (outcome !== 'ok' && reason) tick.reason = reason;
    if (outcome === 'timeout') tick.timeouts++;
    if (tick.latencies.length < MAX_LATENCIES) tick.latencies.push(ms);
    if (traceId && tick.samples.length < MAX_SAMPLES) tick.samples.push(traceId);
  }

  /** A call link's latest answer came with this version of the callee's API. */
  served(linkId: string, version: number): void {
    this.linkTick(linkId).served = version;
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

  /** `tentative`: exactly-once, recorded while its transaction commits (see DeliveryLedger). */
  process(topicId: string, eventId: string, outcome: Outcome = 'processed', tentative = false): void {
    const into = tentative ? this.tentative : this.urgent;
    into[outcome] ??= idRecord();
    listIn(into[outcome], topicId).push(eventId);
    this.flushSoon();
  }

  /** Exactly-once: the transaction of this event committed. */
  confirm(topicId: string, eventId: string): void {
    listIn(this.confirmed, topicId).push(eventId);
    this.flushSoon();
  }

  /** An idempotent consumer dropped an event it had already processed. */
  drop(topicId: string): void {
    this.dropped[topicId] = (this.dropped[topicId] ?? 0) + 1;
    this.flushSoon();
  }

  /**
   * Outcomes leave in a microtask: every event finished in the same turn (a batch whose outputs Kafka just
   * acknowledged) goes in one message.
   */
  private flushSoon() {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => this.flushOutcomes());
  }

  /** Sends the outcomes gathered so far now: called before an offset is marked finished, so before its commit. */
  flushOutcomes(): void {
    if (!this.flushScheduled) return;
    this.flushScheduled = false;
    const { urgent, dropped, tentative, confirmed } = this;
    this.urgent = {};
    this.tentative = {};
    this.confirmed = idRecord();
    this.dropped = idRecord();
    this.postOutcomes(urgent, dropped, tentative, confirmed);
  }

  age(ms: number): void {
    if (this.behavior.ages.length < MAX_LATENCIES) this.behavior.ages.push(ms);
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
      behavior: this.behavior,
    };
    this.hops = [];
    this.handled = 0;
    this.failed = 0;
    this.emitted = 0;
    this.latencies = [];
    this.links = idRecord();
    this.produced = idRecord();
    this.flows = idRecord();
    this.behavior = {
      ...emptyBehavior(),
      ...(tick.behavior.viewSize === undefined ? {} : { viewSize: tick.behavior.viewSize }),
    };
    return tick;
  }
}

function emptyBehavior(): BehaviorTick {
  return { filtered: 0, alerts: 0, polls: 0, emptyPolls: 0, ages: [] };
}

function listIn<T>(record: Record<string, T[]>, key: string): T[] {
  return ownOrAdd(record, key, () => []);
}
