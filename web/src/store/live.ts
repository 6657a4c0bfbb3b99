import type { KafkaState, Snapshot } from '@lab/model';
import type { StateCreator } from 'zustand';

/** How the browser's live feed stands: `connecting` before the first hello, `reconnecting` after a loss. */
export type Connection = 'connecting' | 'open' | 'reconnecting';

export interface LiveSlice {
  connection: Connection;
  /** Attempts since the connection was lost (0 while open). */
  reconnectAttempt: number;
  serverVersion: string | undefined;
  snapshot: Snapshot | undefined;
  setConnection: (connection: Connection, reconnectAttempt?: number) => void;
  setServerVersion: (version: string) => void;
  applySnapshot: (snapshot: Snapshot) => void;
}

export const createLiveSlice: StateCreator<LiveSlice, [], [], LiveSlice> = (set) => ({
  connection: 'connecting',
  reconnectAttempt: 0,
  serverVersion: undefined,
  snapshot: undefined,
  setConnection: (connection, reconnectAttempt = 0) => set({ connection, reconnectAttempt }),
  setServerVersion: (serverVersion) => set({ serverVersion }),
  applySnapshot: (snapshot) => set({ snapshot }),
});

/** Kafka as the browser should show it: unknown until the server has told us, down while we cannot hear it. */
export function kafkaAsSeen(connection: Connection, snapshot: Snapshot | undefined): KafkaState | undefined {
  if (connection !== 'open') return undefined;
  return snapshot?.kafka;
}
