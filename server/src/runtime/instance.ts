import type { InstanceHosts, Placement } from './hosts.js';
import type { FromWorker, InstanceSpec, StatsTick, ToWorker } from './messages.js';

export type InstancePhase = 'starting' | 'running' | 'down' | 'stopping';

export interface InstanceEvents {
  onStats: (instance: Instance, tick: StatsTick) => void;
  onMessage: (instance: Instance, message: Exclude<FromWorker, StatsTick>) => void;
  onPhase: (instance: Instance) => void;
}

/** The main thread's handle on one instance, which runs on one of the pool's host threads. */
export class Instance {
  phase: InstancePhase = 'down';
  url: string | undefined;
  rebalancing = false;
  private placed: Placement | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly id: string,
    readonly nodeId: string,
    private spec: InstanceSpec,
    private readonly events: InstanceEvents,
    private readonly hosts: InstanceHosts,
  ) {}

  /** Starts the instance on a host; resolves once it is consuming and listening, rejects if it fails to. */
  start(): Promise<void> {
    this.setPhase('starting');
    let exit = () => {};
    this.exited = new Promise<void>((resolve) => {
      exit = resolve;
    });
    return new Promise<void>((resolve, reject) => {
      const placement = this.hosts.start(this.spec, {
        stats: (tick) => this.events.onStats(this, tick),
        message: (message) => {
          if (message.type === 'stats') return;
          if (message.type === 'ready') {
            this.url = message.url;
            this.setPhase('running');
            resolve();
          }
          if (message.type === 'fatal') reject(new Error(message.message));
          this.events.onMessage(this, message);
        },
        exit: (why) => {
          if (why) this.events.onMessage(this, { type: 'log', level: 'error', kind: 'error', message: why });
          if (this.placed === placement) {
            this.placed = undefined;
            this.url = undefined;
            this.rebalancing = false;
            this.setPhase('down');
          }
          reject(new Error(`instance ${this.id} exited while starting`));
          exit();
        },
      });
      this.placed = placement;
    });
  }

  get alive(): boolean {
    return this.placed !== undefined;
  }

  /** The host thread the instance runs on (for tests and diagnostics). */
  get thread(): number | undefined {
    return this.placed?.thread;
  }

  send(message: ToWorker): void {
    this.placed?.send(message);
  }

  setSpec(spec: InstanceSpec): void {
    this.spec = spec;
    this.send({ type: 'spec', spec });
  }

  /** Abrupt: its sockets are cut mid-work and it never reconnects; Kafka finds out by session timeout. */
  async crash(): Promise<void> {
    if (!this.placed) return;
    this.placed.crash();
    await this.exited;
  }

  /** Graceful: leaves the consumer group and finishes in-flight work; crashes it if that takes too long. */
  async stop(graceMs = 15_000): Promise<void> {
    const placed = this.placed;
    if (!placed) return;
    this.setPhase('stopping');
    placed.send({ type: 'stop' });
    const timer = setTimeout(() => placed.crash(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private setPhase(phase: InstancePhase) {
    this.phase = phase;
    this.events.onPhase(this);
  }
}
