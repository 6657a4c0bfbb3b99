import type { Topology } from '@lab/model';
import { AppError } from '../errors.js';
import type { InstanceLifecycle } from './lifecycle.js';
import type { RuntimeOptions } from './options.js';
import type { Quota } from './quota.js';
import type { RunState } from './run-state.js';
import type { SnapshotBuilder } from './snapshot.js';
import { topicName } from './specs.js';
import { kafkaCall, type RunTopics } from './topics.js';

/** Saves a topology document for good (the lab's TopologyStore); throws when the disk refuses. */
export type SaveTopology = (topology: Topology) => Promise<void>;

/**
 * Changing the topology in force. `replace` is the one way a new document takes effect: checked against
 * Kafka and the quotas, saved, then applied, as one command of the queue, so what is saved is always what
 * runs. `load` only sets a document that is saved already (the server starting).
 */
export class TopologyEdits {
  constructor(
    private readonly options: RuntimeOptions,
    private readonly state: RunState,
    private readonly quota: Quota,
    private readonly topics: RunTopics,
    private readonly lifecycle: InstanceLifecycle,
    private readonly snapshots: SnapshotBuilder,
  ) {}

  /** Sets a saved topology; while running, starts and stops just what changed. */
  async load(next: Topology): Promise<void> {
    const previous = this.state.topology;
    this.state.topology = next;
    if (this.state.running) {
      await this.topics.ensure(next);
      await this.applyLive(previous, next);
    }
    this.snapshots.publish();
  }

  /**
   * Every step that can fail (an edit Kafka cannot make, Kafka not answering, the disk refusing the save)
   * comes before anything changes, so it either all happens or nothing does. Then the new topology is
   * applied (while running, just what changed starts or stops).
   */
  async replace(next: Topology, save: SaveTopology): Promise<void> {
    await this.check(next);
    if (this.state.running) await this.topics.ensure(next);
    try {
      await save(next);
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
      throw new AppError(503, `The topology could not be saved (${why}); nothing changed`);
    }
    const previous = this.state.topology;
    this.state.topology = next;
    if (this.state.running) await this.applyLive(previous, next);
    this.snapshots.publish();
  }

  /** Edits Kafka cannot make to a running topology, refused before anything is saved. */
  private async check(next: Topology): Promise<void> {
    if (!this.state.running) return;
    this.quota.checkTopology(next, 'The edited topology');
    const topics = next.nodes.filter((n) => n.kind === 'topic');
    const counts = await kafkaCall(() =>
      this.options.admin.partitionCountsOf(topics.map((t) => topicName(this.options, t.id))),
    );
    topics.forEach((topic) => {
      const now = counts.get(topicName(this.options, topic.id));
      if (now !== undefined && topic.partitions < now) {
        const index = next.nodes.indexOf(topic);
        throw new AppError(
          409,
          `nodes.${index}.partitions: Kafka cannot take partitions away from "${topic.id}" (it has ${now}); stop and reset the lab to start over with fewer`,
          `nodes.${index}.partitions`,
        );
      }
    });
  }

  private async applyLive(previous: Topology, next: Topology) {
    await this.lifecycle.applyLive(previous, next);
    await this.topics.watch();
    this.lifecycle.publishEndpoints();
  }
}

/**
 * The application's one way to put a new topology in force, for every sender (the editor's PUT, a lab's start,
 * step or restore): the runtime's `replace` with the lab's own store, so the check, the save and the apply run
 * as one command of the runtime's queue and nobody saves or applies on the side. `first`: see Runtime.replace.
 */
export function replaceTopology(
  lab: {
    runtime: { replace(next: Topology, save: SaveTopology, first?: 'stop' | 'reset'): Promise<void> };
    store: { save: SaveTopology };
  },
  next: Topology,
  first?: 'stop' | 'reset',
): Promise<void> {
  return lab.runtime.replace(next, (topology) => lab.store.save(topology), first);
}
