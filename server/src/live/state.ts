import { emptySnapshot, type KafkaState, own, type Snapshot } from '@lab/model';

/** Told of every change; `urgent` when something a learner waits to see changed (a status, a run, Kafka). */
export type ChangeListener = (urgent: boolean) => void;

/**
 * The live snapshot and a revision number that grows on every change, so the hub can tell which clients
 * are behind without comparing snapshots. Listeners hear of each change at once, so the hub can push a
 * crash or a revive without waiting for its next tick.
 */
export class LiveState {
  private current: Snapshot;
  private rev = 0;
  private readonly listeners = new Set<ChangeListener>();

  constructor(kafka: KafkaState) {
    this.current = emptySnapshot(kafka);
  }

  get revision(): number {
    return this.rev;
  }

  snapshot(): Snapshot {
    return this.current;
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setKafka(kafka: KafkaState): void {
    const urgent = kafka.status !== this.current.kafka.status;
    this.current = { ...this.current, kafka };
    this.changed(urgent);
  }

  setRuntime(parts: Omit<Snapshot, 'kafka' | 'lab' | 'topologyRevision'>): void {
    const { kafka, lab, topologyRevision } = this.current;
    const urgent = statusesChanged(this.current, parts);
    this.current = { ...parts, kafka, lab, topologyRevision };
    this.changed(urgent);
  }

  /** The server replaced the topology on its own: browsers reload it. */
  topologyReplaced(): void {
    this.current = { ...this.current, topologyRevision: (this.current.topologyRevision ?? 0) + 1 };
    this.changed(true);
  }

  setLab(lab: Snapshot['lab']): void {
    const before = this.current.lab;
    // A step turning done, the lab moving on, a scenario event firing: each is news to the learner.
    const urgent =
      before?.labId !== lab?.labId ||
      before?.current !== lab?.current ||
      before?.scenario.fired !== lab?.scenario.fired ||
      before?.scenario.playing !== lab?.scenario.playing;
    this.current = { ...this.current, lab };
    this.changed(urgent);
  }

  private changed(urgent: boolean) {
    this.rev++;
    for (const listener of this.listeners) listener(urgent);
  }
}

/** Whether the run started or stopped, or any node or instance changed status (or came or went). */
function statusesChanged(before: Snapshot, after: Pick<Snapshot, 'running' | 'nodes'>): boolean {
  if (before.running !== after.running) return true;
  const ids = Object.keys(after.nodes);
  if (ids.length !== Object.keys(before.nodes).length) return true;
  for (const id of ids) {
    const a = own(before.nodes, id);
    const b = own(after.nodes, id)!;
    if (!a || a.status !== b.status || a.instances.length !== b.instances.length) return true;
    for (let i = 0; i < b.instances.length; i++) {
      if (a.instances[i]!.status !== b.instances[i]!.status) return true;
    }
  }
  return false;
}
