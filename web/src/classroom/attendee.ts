import type { AttendeeSelf, ClassNotice } from '@lab/model';
import { create } from 'zustand';
import { ApiError } from '../api/http';
import { askForHelp, mySelf } from './api';

/** An attendee's own classroom state: who they are, the instructor's messages, their help request. */
interface AttendeeState {
  self: AttendeeSelf | undefined;
  notices: ClassNotice[];
  /** Notices the attendee closed. */
  dismissed: number[];
  dismiss: (seq: number) => void;
  setHelp: (on: boolean) => Promise<void>;
}

export const useAttendee = create<AttendeeState>()((set, get) => ({
  self: undefined,
  notices: [],
  dismissed: [],
  dismiss: (seq) => set({ dismissed: [...get().dismissed, seq] }),
  setHelp: async (on) => {
    const answer = await askForHelp(on);
    const self = get().self;
    if (self) set({ self: { ...self, helpSince: answer.helpSince } });
  },
}));

const POLL_MS = 2_000;

/**
 * On a workspace page of a classroom: asks the server who this browser is (an attendee, or not: the
 * instructor, or no classroom, and then stops asking) and picks up the instructor's messages every 2 s.
 */
export function followClassroom(): void {
  let after = 0;
  const poll = async () => {
    try {
      const self = await mySelf(after);
      const notices = [...useAttendee.getState().notices, ...self.notices];
      after = notices.at(-1)?.seq ?? after;
      useAttendee.setState({ self: { ...self, notices: [] }, notices });
    } catch (error) {
      // 404: no classroom; 409: the instructor's own browser. Neither has anything to follow.
      if (error instanceof ApiError && (error.status === 404 || error.status === 409)) return;
      // Removed, or the server away for a moment: the live feed says which; keep asking.
    }
    setTimeout(() => void poll(), POLL_MS);
  };
  void poll();
}
