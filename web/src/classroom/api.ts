import type {
  AttendeeRemoved,
  AttendeeReset,
  AttendeeSelf,
  ClassroomState,
  ClassSummary,
  Command,
  EveryoneResult,
  HelpState,
  Joined,
  NoticeSent,
} from '@lab/model';
import { requestAt } from '../api/http';

/** The classroom's API (server/src/classroom/routes.ts): absolute paths, outside any workspace. */
export const joinRoom = (code: string, name: string) =>
  requestAt<Joined>('POST', '/api/classroom/join', { code, name });
export const mySelf = (after = 0) => requestAt<AttendeeSelf>('GET', `/api/classroom/me?after=${after}`);
export const askForHelp = (on: boolean) => requestAt<HelpState>('POST', '/api/classroom/me/help', { on });

export const roomState = () => requestAt<ClassroomState>('GET', '/api/classroom');
export const classSummary = () => requestAt<ClassSummary>('GET', '/api/classroom/summary');
export const startForEveryone = (labId: string) => requestAt<EveryoneResult>('POST', '/api/classroom/start', { labId });
export const commandForEveryone = (command: Command) =>
  requestAt<EveryoneResult>('POST', '/api/classroom/command', { command });
export const scenarioForEveryone = (what: 'play' | 'pause' | 'restart') =>
  requestAt<EveryoneResult>('POST', '/api/classroom/scenario', { do: what });
export const broadcast = (text: string) => requestAt<NoticeSent>('POST', '/api/classroom/broadcast', { text });
const attendee = (id: string, what: string) => `/api/classroom/attendees/${encodeURIComponent(id)}/${what}`;
export const sendHint = (id: string, text: string) => requestAt<NoticeSent>('POST', attendee(id, 'hint'), { text });
export const resetAttendee = (id: string) => requestAt<AttendeeReset>('POST', attendee(id, 'reset'));
export const removeAttendee = (id: string) => requestAt<AttendeeRemoved>('POST', attendee(id, 'remove'));
