import { join } from 'node:path';
import { AppError } from '../errors.js';
import type { Lab } from '../lab.js';
import { LiveHub } from '../live/hub.js';
import { LAB_VERSION } from '../version.js';
import { checkWorkspaceName, workspacePrefix } from './names.js';

/** One learner's lab on a shared server: its topology, runtime, lab progress, recordings and live feed. */
export class Workspace {
  readonly hub: LiveHub;
  private lastRequestAt = Date.now();

  constructor(
    /** undefined for the default workspace (served at `/`). */
    readonly name: string | undefined,
    readonly lab: Lab,
    frameIntervalMs?: number,
  ) {
    this.hub = new LiveHub(lab.live, lab.log, LAB_VERSION, frameIntervalMs);
  }

  touch(): void {
    this.lastRequestAt = Date.now();
  }

  /** Since when nobody has used it: an open live feed (a tab showing it) counts as use. */
  get idleSince(): number {
    return this.hub.size > 0 ? Date.now() : this.lastRequestAt;
  }

  async close(): Promise<void> {
    this.hub.close();
    await this.lab.close();
  }
}

export interface WorkspacesOptions {
  /** The lab served at `/`, exactly as a single-learner server runs it. */
  defaultLab: Lab;
  /** Closing the workspaces closes the default lab too: the server made it (main.ts). Otherwise its maker does. */
  ownsDefaultLab?: boolean;
  /**
   * Makes a named workspace's lab in its own Kafka namespace and folder; `serverRoom` is its share of the
   * server's instances, for its runtime.
   */
  createLab?: (namespace: {
    name: string;
    topicPrefix: string;
    dataDir: string;
    serverRoom: () => { free: number; limit: number } | undefined;
  }) => Lab;
  topicPrefix: string;
  dataDir: string;
  /** Named workspaces at once (MAX_WORKSPACES); 0 serves the default workspace only. */
  max?: number;
  /** A named workspace unused this long is evicted, its topics and groups deleted (WORKSPACE_IDLE_MINUTES); 0 never. */
  idleMs?: number;
  /** Instances all workspaces together run at most (SERVER_MAX_INSTANCES). */
  maxInstances?: number;
  frameIntervalMs?: number;
  /** Told of each eviction (the server's console). */
  onEvicted?: (name: string, outcome: string) => void;
}

const SWEEP_MS = 30_000;

/**
 * The workspaces of one server: the default one, always there, and named ones created on first use at
 * `/w/<name>/`, each strictly in its own Kafka namespace and folder, evicted when idle. A workspace's
 * failures stay in it: every command runs in its own runtime's queue, and its instances are its own.
 */
export class Workspaces {
  readonly default: Workspace;
  private readonly named = new Map<string, Workspace>();
  private readonly sweeper: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: WorkspacesOptions) {
    this.default = new Workspace(undefined, options.defaultLab, options.frameIntervalMs);
    if ((options.idleMs ?? 0) > 0) {
      this.sweeper = setInterval(() => void this.evictIdle(), Math.min(SWEEP_MS, options.idleMs ?? SWEEP_MS));
      this.sweeper.unref();
    }
  }

  /** A single-workspace server: the default lab only (what buildApp makes when given just a lab). */
  static single(lab: Lab, frameIntervalMs?: number): Workspaces {
    return new Workspaces({ defaultLab: lab, topicPrefix: lab.topicPrefix, dataDir: '', max: 0, frameIntervalMs });
  }

  get max(): number {
    return this.options.createLab ? (this.options.max ?? 0) : 0;
  }

  /** The named workspace, created on first use. */
  get(name: string): Workspace {
    checkWorkspaceName(name);
    const existing = this.named.get(name);
    if (existing) return existing;
    if (this.closed) throw new AppError(503, 'The server is shutting down');
    const create = this.options.createLab;
    if (!create || this.max === 0)
      throw new AppError(404, 'This server hosts a single lab: open it at / (named workspaces are off)', 'workspace');
    if (this.named.size >= this.max)
      throw new AppError(
        503,
        `This server hosts ${this.max} workspaces, its limit (MAX_WORKSPACES): try again when one is evicted, or ask the instructor`,
        'workspace',
      );
    const lab: Lab = create({
      name,
      topicPrefix: workspacePrefix(this.options.topicPrefix, name),
      dataDir: join(this.options.dataDir, 'workspaces', name),
      serverRoom: () => this.roomFor(lab),
    });
    const workspace = new Workspace(name, lab, this.options.frameIntervalMs);
    this.named.set(name, workspace);
    return workspace;
  }

  /** Named workspaces now, by name. */
  list(): Workspace[] {
    return [...this.named.values()];
  }

  /**
   * Instances one workspace may still start: the server's cap less what the others run. A workspace
   * cannot take all of it while others have none: that is the fair share issue of a classroom.
   */
  roomFor(lab: Lab): { free: number; limit: number } | undefined {
    const limit = this.options.maxInstances;
    if (limit === undefined) return undefined;
    let others = 0;
    for (const workspace of [this.default, ...this.named.values()])
      if (workspace.lab !== lab) others += workspace.lab.runtime.instanceCount;
    return { free: Math.max(0, limit - others), limit };
  }

  /** Stops the workspace's run, deletes its topics and groups from Kafka, and forgets it (its files stay). */
  async evict(name: string): Promise<string> {
    const workspace = this.named.get(name);
    if (!workspace) throw new AppError(404, `No workspace "${name}"`, 'workspace');
    this.named.delete(name);
    let outcome: string;
    try {
      const removed = await workspace.lab.runtime.reset();
      outcome = `deleted ${removed.topics.length} topics and ${removed.groups.length} consumer groups`;
    } catch (err) {
      // Kafka not answering must not keep a dead workspace's instances running: they stop regardless.
      outcome = `its topics could not be deleted (${err instanceof Error ? err.message : String(err)}); they stay on Kafka under "${workspace.lab.topicPrefix}"`;
    }
    await workspace.close();
    this.options.onEvicted?.(name, outcome);
    return outcome;
  }

  private async evictIdle() {
    const idleMs = this.options.idleMs ?? 0;
    const now = Date.now();
    for (const workspace of this.list()) {
      if (now - workspace.idleSince >= idleMs && workspace.name) await this.evict(workspace.name).catch(() => {});
    }
  }

  /**
   * Closes the named workspaces (their instances leave their groups) and the live feeds; the default lab too
   * when it is the server's own (ownsDefaultLab), or else its maker closes it.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    const closeDefault = this.options.ownsDefaultLab ? this.default.close() : this.default.hub.close();
    await Promise.all([
      Promise.resolve(closeDefault).catch(() => {}),
      ...[...this.named.values()].map((w) => w.close().catch(() => {})),
    ]);
    this.named.clear();
  }
}
