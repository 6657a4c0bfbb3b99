import type { Source } from '@lab/model';
import type { Kafka } from '../../kafka/client.js';
import type { FromWorker, InstanceSpec } from '../messages.js';
import { newFlowEvent } from './event.js';
import { makePayload, patternFactor, RandomArrivals, TickBudget } from './generate.js';
import { Outputs } from './outputs.js';
import type { StatsCollector } from './stats.js';

const TICK_MS = 50;
/** Requests and sends a source keeps open at most; past it new events fail at once (a full client pool). */
const MAX_IN_FLIGHT = 1_000;

/** A source: makes events at its rate and pattern, and sends each on all its links. */
export class SourceInstance {
  private rate: number;
  private sequence = 0;
  private readonly budget = new TickBudget();
  private readonly arrivals = new RandomArrivals();
  private readonly outputs: Outputs;
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt = performance.now();
  private lastTick = performance.now();

  constructor(
    private spec: InstanceSpec,
    private readonly stats: StatsCollector,
    post: (message: FromWorker) => void,
    /** A new Kafka client of this instance's own (see HostedInstance: its sockets can be cut). */
    kafka: () => Kafka,
  ) {
    this.rate = this.node.ratePerSec;
    this.outputs = Outputs.forInstance(spec, stats, post, kafka);
  }

  private get node(): Source {
    return this.spec.node as Source;
  }

  async start(): Promise<void> {
    await this.outputs.connect();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  setSpec(spec: InstanceSpec): void {
    const rateChanged = (spec.node as Source).ratePerSec !== this.node.ratePerSec;
    this.spec = spec;
    if (rateChanged) this.rate = this.node.ratePerSec;
    this.outputs.setSpec(spec);
  }

  setRate(perSecond: number): void {
    this.rate = perSecond;
  }

  /** Makes one poison pill now, on top of the rate. */
  poisonNext(): void {
    this.emit(true);
  }

  setEndpoints(endpoints: Record<string, string[]>): void {
    this.outputs.caller.setEndpoints(endpoints);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.outputs.disconnect();
    this.outputs.caller.close();
  }

  /** Abrupt (its Kafka sockets are already cut): it makes nothing more, and its clients close without a socket. */
  async crash(): Promise<void> {
    clearInterval(this.timer);
    this.outputs.caller.close();
    await this.outputs.disconnect();
  }

  private tick() {
    const now = performance.now();
    const seconds = (now - this.startedAt) / 1000;
    const rate = this.rate * patternFactor(this.node.pattern, seconds);
    const due =
      this.node.pattern === 'random' ? this.arrivals.take(rate, now) : this.budget.take(rate, now - this.lastTick);
    this.lastTick = now;
    for (let i = 0; i < due; i++) this.emit();
  }

  private emit(poison = false) {
    // A source with no link has nowhere to send: it makes nothing, rather than claim a rate.
    if (this.spec.produces.length === 0 && this.spec.calls.length === 0) return;
    const node = this.node;
    const payload = makePayload(node.payload, ++this.sequence);
    const key = node.keyField && payload[node.keyField] !== undefined ? String(payload[node.keyField]) : null;
    const event = newFlowEvent(node.id, node.eventType, payload, key);
    if (poison) event.poison = true;
    this.stats.emitted++;
    if (this.stats.inFlight >= MAX_IN_FLIGHT) {
      this.stats.failed++;
      return;
    }
    this.stats.inFlight++;
    const started = performance.now();
    // The events of one tick are queued together, so they reach Kafka as one request.
    this.outputs
      .send(event, true)
      .then(async ({ ok, acked }) => {
        await acked;
        return ok;
      })
      .then(
        (ok) => (ok ? this.stats.handled++ : this.stats.failed++),
        () => this.stats.failed++,
      )
      .finally(() => {
        this.stats.inFlight--;
        this.stats.latency(performance.now() - started);
      });
  }
}
