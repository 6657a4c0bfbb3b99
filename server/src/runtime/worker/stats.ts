import type { LinkTick, StatsTick } from '../messages.js';

const MAX_LATENCIES = 250;
const MAX_SAMPLES = 4;

/** Counters an instance gathers between two ticks; `take` hands them over and starts afresh. */
export class StatsCollector {
  handled = 0;
  failed = 0;
  emitted = 0;
  inFlight = 0;
  private latencies: number[] = [];
  private links: Record<string, LinkTick> = {};
  private produced: Record<string, string[]> = {};
  private processed: Record<string, string[]> = {};
  private flows: Record<string, number[]> = {};

  latency(ms: number): void {
    if (this.latencies.length < MAX_LATENCIES) this.latencies.push(ms);
  }

  link(linkId: string, outcome: 'ok' | 'failed' | 'timeout', ms: number, traceId?: string): void {
    this.links[linkId] ??= { ok: 0, failed: 0, timeouts: 0, latencies: [], samples: [] };
    const tick = this.links[linkId];
    if (outcome === 'ok') tick.ok++;
    else tick.failed++;
    if (outcome === 'timeout') tick.timeouts++;
    if (tick.latencies.length < MAX_LATENCIES) tick.latencies.push(ms);
    if (traceId && tick.samples.length < MAX_SAMPLES) tick.samples.push(traceId);
  }

  circuit(linkId: string, state: LinkTick['circuit']): void {
    this.links[linkId] ??= { ok: 0, failed: 0, timeouts: 0, latencies: [], samples: [] };
    this.links[linkId].circuit = state;
  }

  produce(topicId: string, eventId: string): void {
    (this.produced[topicId] ??= []).push(eventId);
  }

  process(topicId: string, eventId: string): void {
    (this.processed[topicId] ??= []).push(eventId);
  }

  flow(originId: string, ms: number): void {
    const list = (this.flows[originId] ??= []);
    if (list.length < MAX_LATENCIES) list.push(ms);
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
      processed: this.processed,
      flows: this.flows,
    };
    this.handled = 0;
    this.failed = 0;
    this.emitted = 0;
    this.latencies = [];
    this.links = {};
    this.produced = {};
    this.processed = {};
    this.flows = {};
    return tick;
  }
}
