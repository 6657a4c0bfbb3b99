import { availableParallelism } from 'node:os';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import type { FromHost, FromWorker, HostInspection, InstanceSpec, StatsTick, ToHost, ToWorker } from './messages.js';

/**
 * The host thread runs the compiled file, both when the server runs from dist/ and when tests import src/:
 * the same relative path from src/runtime/ and dist/runtime/ lands on dist/runtime/.
 */
const HOST_FILE = new URL('../../dist/runtime/instance-worker.js', import.meta.url);

/**
 * A host holds many small instances; a runaway one must still not take the server's memory with it: past this
 * the host thread dies (out of memory) and only its instances go down. A modest young generation keeps the
 * resident memory low without making a busy host collect garbage all the time.
 */
export const HOST_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 16 };
/** An empty host thread is kept this long for the next instance, then ended. */
const IDLE_MS = 10_000;

/** What the main thread's handle on one instance hears from its host. */
export interface InstanceListener {
  message: (message: FromWorker) => void;
  stats: (tick: StatsTick) => void;
  /** The instance is down; `why` when it did not go by a command (its host thread died). */
  exit: (why?: string) => void;
}

/** One started instance on one host thread. */
export interface Placement {
  readonly thread: number;
  send(message: ToWorker): void;
  /** Asks the host to cut the instance's sockets; its `exit` follows. */
  crash(): void;
}

export interface HostsOptions {
  /** Host threads at most (INSTANCE_THREADS; by default the machine's cores, at least 2). */
  size?: number;
  resourceLimits?: ResourceLimits;
  /** The host's entry (tests give a stand-in). */
  file?: URL;
  idleMs?: number;
  /** Told when a host thread dies unexpectedly (one line; the default prints it). */
  onHostDied?: (line: string) => void;
}

/**
 * The pool of instance host threads. Instances go to the host with the fewest; a host is started when needed
 * and ended once it has been empty for a while. A host that dies (e.g. out of memory) takes only its own
 * instances down, each told why; the next instances get a new host in its place.
 */
export class InstanceHosts {
  readonly size: number;
  private readonly slots: (Host | undefined)[];
  private nextKey = 1;

  constructor(private readonly options: HostsOptions = {}) {
    this.size = Math.max(1, options.size ?? defaultHostThreads());
    this.slots = Array.from({ length: this.size }, () => undefined);
  }

  start(spec: InstanceSpec, listener: InstanceListener): Placement {
    const key = this.nextKey++;
    const host = this.leastLoaded();
    host.add(key, spec, listener);
    return {
      thread: host.thread,
      send: (message) => host.post({ type: 'to', key, message }),
      crash: () => host.post({ type: 'crash', key }),
    };
  }

  /** Which instances run on which thread (for tests and the bench). */
  describe(): { thread: number; instances: string[] }[] {
    return this.slots.flatMap((host) => (host ? [{ thread: host.thread, instances: host.instanceIds() }] : []));
  }

  /** What one host thread holds now, asked of the thread itself. */
  inspect(thread: number): Promise<HostInspection> {
    const host = this.slots.find((h) => h?.thread === thread);
    if (!host) return Promise.reject(new Error(`no instance host thread ${thread}`));
    return host.inspect();
  }

  /** Ends every host thread (server shutdown, tests); their instances should have been stopped first. */
  async close(): Promise<void> {
    const hosts = this.slots.filter((h): h is Host => h !== undefined);
    this.slots.fill(undefined);
    await Promise.all(hosts.map((h) => h.end()));
  }

  private leastLoaded(): Host {
    let best = -1;
    this.slots.forEach((host, i) => {
      if (best === -1 || (host?.load ?? 0) < (this.slots[best]?.load ?? 0)) best = i;
    });
    const found = this.slots[best];
    if (found) return found;
    const host = new Host(best, this.options, (gone, line) => {
      if (this.slots[gone.slot] === gone) this.slots[gone.slot] = undefined;
      if (line) (this.options.onHostDied ?? console.error)(line);
    });
    this.slots[best] = host;
    return host;
  }
}

let threadNumbers = 0;

/** One host thread, as the main thread sees it: the instances on it, by key. */
class Host {
  readonly thread = ++threadNumbers;
  private readonly worker: Worker;
  private readonly instances = new Map<number, { id: string; listener: InstanceListener }>();
  private readonly asks = new Map<number, { resolve: (i: HostInspection) => void; reject: (e: Error) => void }>();
  private asked = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private ending = false;
  private failure: string | undefined;

  constructor(
    readonly slot: number,
    private readonly options: HostsOptions,
    private readonly gone: (host: Host, line?: string) => void,
  ) {
    this.worker = new Worker(options.file ?? HOST_FILE, {
      resourceLimits: options.resourceLimits ?? HOST_LIMITS,
      name: `instance-host-${this.thread}`,
    });
    this.worker.on('message', (message: FromHost) => this.receive(message));
    this.worker.on('error', (err: Error & { code?: string }) => {
      this.failure =
        err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `out of memory: ${err.message}` : `${err.name}: ${err.message}`;
    });
    this.worker.on('exit', (code) => this.exited(code));
  }

  get load(): number {
    return this.instances.size;
  }

  instanceIds(): string[] {
    return [...this.instances.values()].map((i) => i.id);
  }

  add(key: number, spec: InstanceSpec, listener: InstanceListener) {
    clearTimeout(this.idleTimer);
    this.worker.ref();
    this.instances.set(key, { id: spec.instanceId, listener });
    this.post({ type: 'start', key, spec });
  }

  post(message: ToHost) {
    if (!this.ending) this.worker.postMessage(message);
  }

  inspect(): Promise<HostInspection> {
    const ask = ++this.asked;
    return new Promise((resolve, reject) => {
      this.asks.set(ask, { resolve, reject });
      this.post({ type: 'inspect', ask });
    });
  }

  async end(): Promise<void> {
    this.ending = true;
    clearTimeout(this.idleTimer);
    await this.worker.terminate();
  }

  private receive(message: FromHost) {
    switch (message.type) {
      case 'from': {
        const listener = this.instances.get(message.key)?.listener;
        if (message.message.type === 'stats') listener?.stats(message.message);
        else listener?.message(message.message);
        break;
      }
      case 'stats':
        for (const [key, tick] of message.ticks) this.instances.get(key)?.listener.stats(tick);
        break;
      case 'exit': {
        const instance = this.instances.get(message.key);
        this.instances.delete(message.key);
        instance?.listener.exit();
        if (this.instances.size === 0) this.idle();
        break;
      }
      case 'inspection':
        this.asks.get(message.ask)?.resolve(message.inspection);
        this.asks.delete(message.ask);
        break;
    }
  }

  /** Empty: the thread no longer keeps the process alive, and ends unless an instance comes soon. */
  private idle() {
    this.worker.unref();
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.instances.size > 0) return;
      this.gone(this);
      void this.end();
    }, this.options.idleMs ?? IDLE_MS);
    this.idleTimer.unref();
  }

  private exited(code: number) {
    clearTimeout(this.idleTimer);
    const lost = [...this.instances.values()];
    this.instances.clear();
    for (const ask of this.asks.values()) ask.reject(new Error(`instance host thread ${this.thread} ended`));
    this.asks.clear();
    if (this.ending) return this.gone(this);
    const why = this.failure ?? `it exited with code ${code}`;
    for (const { listener } of lost) listener.exit(`its host thread died (${why})`);
    this.gone(
      this,
      `Instance host thread ${this.thread} died (${why}): ${lost.length ? lost.map((i) => i.id).join(', ') : 'no instance'} went down with it; new instances get a new thread`,
    );
  }
}

/** About one host thread per core, and at least 2, so a busy host never has the machine to itself. */
export function defaultHostThreads(): number {
  const configured = Number(process.env.INSTANCE_THREADS);
  return Number.isInteger(configured) && configured > 0 ? configured : Math.max(2, availableParallelism());
}

let shared: InstanceHosts | undefined;

/** The server's one pool: every runtime (every workspace) places its instances on it. */
export function sharedHosts(): InstanceHosts {
  shared ??= new InstanceHosts();
  return shared;
}
