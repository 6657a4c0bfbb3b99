import type { LabProgress, LogEntry } from '@lab/model';

/** A moment worth finding on the timeline: a fault, a revive, a rebalance, a circuit, a step turning green. */
export interface Marker {
  at: number;
  kind: 'fault' | 'recover' | 'rebalance' | 'step';
  label: string;
}

const KINDS: Partial<Record<LogEntry['kind'], Marker['kind']>> = {
  fault: 'fault',
  revive: 'recover',
  rebalance: 'rebalance',
  circuit: 'fault',
};

/** The markers between `from` and `to`, in time order. */
export function markersOf(log: readonly LogEntry[], lab: LabProgress | undefined, from: number, to: number): Marker[] {
  const markers: Marker[] = [];
  for (const entry of log) {
    const kind = KINDS[entry.kind];
    if (kind && entry.at >= from && entry.at <= to) markers.push({ at: entry.at, kind, label: entry.message });
  }
  for (const step of lab?.steps ?? []) {
    if (step.doneAt !== undefined && step.doneAt >= from && step.doneAt <= to) {
      markers.push({ at: step.doneAt, kind: 'step', label: `Step done: ${step.title}` });
    }
  }
  return markers.sort((a, b) => a.at - b.at);
}

/** m:ss, as a player shows a position. */
export function clockOf(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
