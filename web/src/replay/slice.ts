import type { StateCreator } from 'zustand';

/**
 * Where in time the page is: `live` follows the socket; `rewind` shows a moment of the current run from the
 * browser's own history (the socket still feeds that history); `replay` plays a recording, read-only.
 */
export type TimeMode = 'live' | 'rewind' | 'replay';

export interface ReplayInfo {
  id: string | undefined;
  name: string;
  /** Epoch ms of the recording's start; the cursor runs from here to startedAt + durationMs. */
  startedAt: number;
  durationMs: number;
  playing: boolean;
  speed: number;
}

export interface TimeSlice {
  timeMode: TimeMode;
  /** Epoch ms of the moment shown while not live. */
  cursorAt: number;
  replay: ReplayInfo | undefined;
  /** Why a replay could not be opened: shown in place of the timeline. */
  replayError: string | undefined;
  setCursor: (mode: TimeMode, at: number) => void;
  setReplay: (replay: ReplayInfo | undefined) => void;
  setReplayError: (error: string | undefined) => void;
}

export const createTimeSlice: StateCreator<TimeSlice, [], [], TimeSlice> = (set) => ({
  timeMode: 'live',
  cursorAt: 0,
  replay: undefined,
  replayError: undefined,
  setCursor: (timeMode, cursorAt) => set({ timeMode, cursorAt }),
  setReplay: (replay) => set({ replay }),
  setReplayError: (replayError) => set({ replayError }),
});

/** The replay speeds offered. */
export const SPEEDS = [0.5, 1, 2, 4, 8] as const;
