import { Worker } from 'node:worker_threads';
import type { FromWorker, InstanceSpec, StatsTick, ToWorker } from './messages.js';

/**
 * The worker runs the compiled file, both when the server runs from dist/ and when tests import src/:
 * the same relative path from src/runtime/ and dist/runtime/ lands on dist/runtime/.
 */
const WORKER_FILE = new URL('../../dist/runtime/instance-worker.js', import.meta.url);

export type InstancePhase = 'starting' | 'running' | 'down' | 'stopping';

export interface InstanceEvents {
  onStats: (instance: Instance, tick: StatsTick) => void;
  onMessage: (instance: Instance, message: Exclude<FromWorker, StatsTick>) => void;
  onPhase: (instance: Instance) => void;
}

/** The main thread's handle on one instance's worker. */
export class Instance {
  phase: InstancePhase = 'down';
  url: string | undefined;
  rebalancing = false;
  private worker: Worker | undefined;
  private ready: Promise<void> = Promise.resolve();

  constructor(
    readonly id: string,
    readonly nodeId: string,
    private spec: InstanceSpec,
    private readonly events: InstanceEvents,
  ) {}

  /** Starts the worker; resolves once it is consuming and listening, rejects if it fails to. */
  start(): Promise<void> {
    const worker = new Worker(WORKER_FILE, {
      workerData: this.spec,
      // A lab instance is small; a runaway one must not take the server's memory with it. A small young
      // generation keeps each worker's resident memory low (the default sizes it for a busy main thread).
      resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 8 },
    });
    this.worker = worker;
    this.setPhase('starting');
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'stats') return this.events.onStats(this, message);
        if (message.type === 'ready') {
          this.url = message.url;
          this.setPhase('running');
          resolve();
        }
        if (message.type === 'fatal') reject(new Error(message.message));
        this.events.onMessage(this, message);
      });
      worker.on('error', (err) => {
        reject(err);
        this.events.onMessage(this, { type: 'log', level: 'error', kind: 'error', message: err.message });
      });
      worker.on('exit', () => {
        if (this.worker !== worker) return; // an old worker of a revived instance
        this.worker = undefined;
        this.url = undefined;
        this.rebalancing = false;
        this.setPhase('down');
        reject(new Error(`instance ${this.id} exited while starting`));
      });
    });
    return this.ready;
  }

  get alive(): boolean {
    return this.worker !== undefined;
  }

  send(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  setSpec(spec: InstanceSpec): void {
    this.spec = spec;
    this.send({ type: 'spec', spec });
  }

  /** Abrupt: the thread dies mid-work, its sockets close, Kafka finds out by session timeout. */
  async crash(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    await worker.terminate();
  }

  /** Graceful: leaves the consumer group and finishes in-flight work; terminates if that takes too long. */
  async stop(graceMs = 15_000): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.setPhase('stopping');
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'stop' } satisfies ToWorker);
    const timer = setTimeout(() => void worker.terminate(), graceMs);
    await exited;
    clearTimeout(timer);
  }

  private setPhase(phase: InstancePhase) {
    this.phase = phase;
    this.events.onPhase(this);
  }
}
