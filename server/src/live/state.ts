import { emptySnapshot, type KafkaState, type Snapshot } from '@lab/model';

/**
 * The live snapshot and a revision number that grows on every change, so the hub can tell which clients
 * are behind without comparing snapshots.
 */
export class LiveState {
  private current: Snapshot;
  private rev = 0;

  constructor(kafka: KafkaState) {
    this.current = emptySnapshot(kafka);
  }

  get revision(): number {
    return this.rev;
  }

  snapshot(): Snapshot {
    return this.current;
  }

  setKafka(kafka: KafkaState): void {
    this.current = { ...this.current, kafka };
    this.rev++;
  }

  setRuntime(parts: Omit<Snapshot, 'kafka' | 'lab' | 'topologyRevision'>): void {
    const { kafka, lab, topologyRevision } = this.current;
    this.current = { ...parts, kafka, lab, topologyRevision };
    this.rev++;
  }

  /** The server replaced the topology on its own: browsers reload it. */
  topologyReplaced(): void {
    this.current = { ...this.current, topologyRevision: (this.current.topologyRevision ?? 0) + 1 };
    this.rev++;
  }

  setLab(lab: Snapshot['lab']): void {
    this.current = { ...this.current, lab };
    this.rev++;
  }
}
