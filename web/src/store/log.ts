import type { LogEntry } from '@lab/model';
import type { StateCreator } from 'zustand';

/** Entries the event log keeps: the last ones matter; a long run must not grow the page without end. */
export const LOG_LIMIT = 1000;

export interface LogSlice {
  log: LogEntry[];
  /** New entries, oldest first; ones already seen (a backlog resent after a reconnect) are skipped. */
  appendLog: (entries: readonly LogEntry[]) => void;
  /** A new connection sends its whole backlog again (and a restarted server counts seq from 1 again). */
  resetLog: () => void;
}

export const createLogSlice: StateCreator<LogSlice, [], [], LogSlice> = (set, get) => ({
  log: [],
  appendLog: (entries) => {
    const { log } = get();
    const lastSeq = log.at(-1)?.seq ?? -Infinity;
    const fresh = entries.filter((e) => e.seq > lastSeq).sort((a, b) => a.seq - b.seq);
    if (fresh.length) set({ log: [...log, ...fresh].slice(-LOG_LIMIT) });
  },
  resetLog: () => set({ log: [] }),
});
