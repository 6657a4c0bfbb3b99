import { createKafka } from '../../kafka/client.js';
import { SocketGuard } from '../../kafka/sockets.js';
import type { FromWorker, InstanceSpec, StatsTick, ToWorker } from '../messages.js';
import { ServiceInstance } from './service.js';
import { SourceInstance } from './source.js';
import { StatsCollector } from './stats.js';

/** An instance with nothing new still reports this often (its gauges: in flight, view size). */
const STATS_INTERVAL_MS = 100;

/**
 * One instance on a host thread: its service or source, its own Kafka clients (all through one SocketGuard),
 * its stats. Once it has crashed or stopped, nothing more of it reaches the main thread, whatever its code
 * still finishes.
 */
export class HostedInstance {
  readonly guard = new SocketGuard();
  private readonly stats: StatsCollector;
  private readonly instance: ServiceInstance | SourceInstance;
  private talking = true;
  private exited = false;
  private lastPost = 0;
  /** The gauges last reported (a new instance has nothing in flight and no view). */
  private lastGauges = gaugesOf(0, undefined);
  /** Settles once a crashed instance's code has wound down (its Kafka clients closed without a socket). */
  windingDown: Promise<void> | undefined;

  constructor(
    readonly key: number,
    readonly spec: InstanceSpec,
    private readonly send: (message: FromWorker) => void,
    /** Called once, when the instance is down for the main thread. */
    private readonly onExit: () => void,
  ) {
    const post = (message: FromWorker) => this.talking && this.send(message);
    this.stats = new StatsCollector((outcomes, dropped, tentative, confirmed) =>
      post({ type: 'outcomes', outcomes, dropped, tentative, confirmed }),
    );
    // Every Kafka client of this instance connects through its guard: a crash can then cut exactly its sockets.
    const kafka = () =>
      createKafka(spec.brokers, spec.instanceId, { ...spec.security, socketFactory: this.guard.factory });
    this.instance =
      spec.node.kind === 'source'
        ? new SourceInstance(spec, this.stats, post, kafka)
        : new ServiceInstance(spec, this.stats, post, kafka);
  }

  start(): void {
    this.instance.start().then(
      (url) => this.talking && this.send({ type: 'ready', url: url ?? undefined }),
      (err: unknown) => {
        if (!this.talking) return;
        this.send({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
        this.crash();
      },
    );
  }

  receive(message: ToWorker): void {
    const instance = this.instance;
    switch (message.type) {
      case 'spec':
        instance.setSpec(message.spec);
        break;
      case 'faults':
        if (instance instanceof ServiceInstance) instance.setFaults(message.faults);
        break;
      case 'endpoints':
        instance.setEndpoints(message.endpoints);
        break;
      case 'rate':
        if (instance instanceof SourceInstance) instance.setRate(message.perSecond);
        break;
      case 'poison':
        if (instance instanceof SourceInstance) instance.poisonNext();
        break;
      case 'seen':
        if (instance instanceof ServiceInstance) instance.answerSeen(message.ask, message.seen);
        break;
      case 'stop':
        void this.stop();
        break;
    }
  }

  /** Graceful: the instance leaves its group and finishes what it holds; then its last stats, and it is down. */
  private async stop() {
    await this.instance.stop().catch(() => {});
    if (!this.talking) return; // crashed meanwhile (its stop took longer than the grace)
    this.send(this.stats.take());
    this.send({ type: 'stopped' });
    this.talking = false;
    this.guard.cut(); // nothing should be left open; if something is, it goes now
    this.exit();
  }

  /**
   * Abrupt, as a process dying: every Kafka socket is destroyed at once and no new one is allowed, the
   * listener stops and resets its connections, and the main thread hears nothing more from it. What its code
   * still holds (hung or slowed inputs, retries, its Kafka clients) then ends without a connection.
   */
  crash(): void {
    if (this.windingDown) return;
    this.talking = false;
    this.guard.cut();
    this.windingDown = this.instance.crash().catch(() => {});
    this.exit();
  }

  /** The stats tick due now, if any: one with news, or with changed gauges, at most every STATS_INTERVAL_MS. */
  tick(now: number): StatsTick | undefined {
    if (!this.talking || (!this.stats.hasNews() && now - this.lastPost < STATS_INTERVAL_MS)) return undefined;
    this.lastPost = now;
    const tick = this.stats.take();
    const gauges = gaugesOf(tick.inFlight, tick.behavior.viewSize);
    if (isQuiet(tick) && gauges === this.lastGauges) return undefined; // an idle instance costs no message
    this.lastGauges = gauges;
    return tick;
  }

  private exit() {
    if (this.exited) return;
    this.exited = true;
    this.onExit();
  }
}

const gaugesOf = (inFlight: number, viewSize: number | undefined) => `${inFlight}/${viewSize}`;

function isQuiet(tick: StatsTick): boolean {
  const b = tick.behavior;
  return (
    tick.handled + tick.failed + tick.emitted === 0 &&
    tick.latencies.length + tick.hops.length + b.ages.length === 0 &&
    b.filtered + b.alerts + b.polls + b.emptyPolls === 0 &&
    Object.keys(tick.links).length + Object.keys(tick.produced).length + Object.keys(tick.flows).length === 0
  );
}
