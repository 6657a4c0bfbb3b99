import type { Snapshot } from '@lab/model';

/** How far back a live run can be rewound. Snapshots share unchanged entries, so minutes cost little memory. */
export const HISTORY_MS = 10 * 60_000;
/** At most this many moments are kept (about ten a second for ten minutes). */
export const HISTORY_FRAMES = 6_000;

/**
 * The live states this browser has shown, with the time it showed them: what Rewind scrubs through. A new run
 * (another startedAt) starts over, so a rewind never mixes two runs; a stop does not.
 */
export class LiveHistory {
  private frames: { t: number; snapshot: Snapshot }[] = [];
  private listeners = new Set<() => void>();
  /** The run kept (its startedAt); a stop keeps it, so the moments before the stop stay reachable. */
  private run: number | undefined;

  add(t: number, snapshot: Snapshot): void {
    if (snapshot.startedAt !== undefined && snapshot.startedAt !== this.run) {
      if (this.run !== undefined) this.frames = [];
      this.run = snapshot.startedAt;
    }
    const last = this.frames.at(-1);
    if (last && t <= last.t) this.frames.pop();
    this.frames.push({ t, snapshot });
    const cut = this.frames.findIndex((f) => f.t >= t - HISTORY_MS);
    const drop = Math.max(cut, this.frames.length - HISTORY_FRAMES);
    if (drop > 0) this.frames = this.frames.slice(drop);
    for (const listener of this.listeners) listener();
  }

  /** Whether a run has been seen: before one, there is nothing worth rewinding. */
  get hasRun(): boolean {
    return this.run !== undefined;
  }

  get first(): number | undefined {
    return this.frames[0]?.t;
  }

  get latest(): { t: number; snapshot: Snapshot } | undefined {
    return this.frames.at(-1);
  }

  /** The state shown at time `t` (the first one kept, for an earlier `t`). */
  at(t: number): Snapshot | undefined {
    let low = 0;
    let high = this.frames.length - 1;
    if (high < 0) return undefined;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.frames[mid]!.t <= t) low = mid;
      else high = mid - 1;
    }
    return this.frames[low]!.snapshot;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The page's one history of the live run. */
export const liveHistory = new LiveHistory();
