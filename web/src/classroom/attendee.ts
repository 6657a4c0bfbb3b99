import { type AttendeeSelf, type ClassNotice, NOTICE_POLL_MS } from '@lab/model';
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

/** Adds notices the page does not have yet (the live feed and the catch-up may both bring one), in order. */
function receive(incoming: ClassNotice[]) {
  const { notices, self } = useAttendee.getState();
  const known = new Set(notices.map((n) => n.seq));
  const fresh = incoming.filter((n) => !known.has(n.seq));
  if (fresh.length === 0) return;
  // A hint answers the attendee's help request: the server cleared it when it sent the hint.
  const answered = self && fresh.some((n) => n.kind === 'hint' && n.at >= (self.helpSince ?? Infinity));
  useAttendee.setState({
    notices: [...notices, ...fresh].sort((a, b) => a.seq - b.seq),
    ...(answered ? { self: { ...self, helpSince: undefined } } : {}),
  });
}

/**
 * A notice pushed on the workspace's live feed. Only an attendee's own page shows it: the instructor's
 * spotlight of the same workspace shares the feed and must not put the hint on the projector.
 */
export function noticeArrived(notice: ClassNotice): void {
  if (useAttendee.getState().self) receive([notice]);
}

/**
 * On a workspace page of a classroom: asks the server who this browser is (an attendee, or not: the
 * instructor, or no classroom, and then stops asking). The instructor's messages arrive on the live feed;
 * this asks again every NOTICE_POLL_MS for any sent while the feed was down.
 */
export function followClassroom(): void {
  /** The newest notice a poll brought: pushed ones may have skipped one sent while the feed was down. */
  let after = 0;
  const poll = async () => {
    try {
      const self = await mySelf(after);
      useAttendee.setState({ self: { ...self, notices: [] } });
      receive(self.notices);
      after = self.notices.at(-1)?.seq ?? after;
    } catch (error) {
      // 404: no classroom; 409: the instructor's own browser. Neither has anything to follow.
      if (error instanceof ApiError && (error.status === 404 || error.status === 409)) return;
      // Removed, or the server away for a moment: the live feed says which; keep asking.
    }
    setTimeout(() => void poll(), NOTICE_POLL_MS);
  };
  void poll();
}
