import { EventEmitter } from 'node:events';
import type { KafkaState } from '@lab/model';
import { createKafka, describeBrokers } from './client.js';
import { explainConnectionError, type KafkaSecurity } from './security.js';

/**
 * Watches whether Kafka answers, with one Metadata round trip per interval.
 * Emits 'change' (KafkaState) only when the status or the broker list changes.
 */
export class KafkaMonitor extends EventEmitter {
  private current: KafkaState;
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private readonly kafka;

  constructor(
    private readonly bootstrap: string[],
    private readonly managed: boolean,
    private readonly security?: KafkaSecurity,
    private readonly intervalMs = 1_000,
  ) {
    super();
    // Every workspace listens (one listener each, removed when it closes), and a classroom has more than
    // Node's default ten: the count is bounded by MAX_WORKSPACES, not a leak to warn about.
    this.setMaxListeners(0);
    this.current = { status: 'starting', brokers: bootstrap, managed };
    // No retries: a check that fails fast is what lets the UI show "Kafka down" within seconds.
    this.kafka = createKafka(bootstrap, 'lab-monitor', {
      ...security,
      connectionTimeout: 1_000,
      requestTimeout: 1_500,
      retry: { retries: 0 },
    });
  }

  get state(): KafkaState {
    return this.current;
  }

  start(): void {
    void this.check();
    this.timer = setInterval(() => void this.check(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Checks now; resolves with the state it found. */
  async check(): Promise<KafkaState> {
    if (this.checking) return this.current;
    this.checking = true;
    try {
      const brokers = await describeBrokers(this.kafka);
      this.update({ status: 'up', brokers, managed: this.managed });
    } catch (err) {
      const reason = explainConnectionError(err instanceof Error ? err.message : String(err), this.security);
      this.update({
        status: 'down',
        brokers: this.bootstrap,
        managed: this.managed,
        error: `Kafka at ${this.bootstrap.join(',')} is unreachable: ${reason}`,
      });
    } finally {
      this.checking = false;
    }
    return this.current;
  }

  private update(next: KafkaState) {
    const same = next.status === this.current.status && next.brokers.join(',') === this.current.brokers.join(',');
    this.current = next;
    if (!same) this.emit('change', next);
  }
}
