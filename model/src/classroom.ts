import Type from 'typebox';
import { ClassNotice } from './protocol.js';

/**
 * The classroom's HTTP contract (server/src/classroom/*): what the instructor's dashboard and summary read,
 * and what an attendee reads of their own. The server declares these as its routes' response schemas and
 * builds them from each attendee's lab progress and live snapshot; the web types its calls with them.
 */

/** One attendee as the dashboard shows them: where they are in their lab, and their run's numbers now. */
export const AttendeeRow = Type.Object({
  id: Type.String(),
  name: Type.String(),
  joinedAt: Type.Number(),
  /** A browser tab of theirs has the live feed open. */
  online: Type.Boolean(),
  helpSince: Type.Optional(Type.Number()),
  lab: Type.Optional(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      /** Index of the step being worked on; equals `steps` once complete. */
      current: Type.Number(),
      steps: Type.Number(),
      stepTitle: Type.Optional(Type.String()),
      /** The current step's conditions met, of all. */
      met: Type.Number(),
      conditions: Type.Number(),
      /** The current step is green (Continue is offered). */
      passed: Type.Boolean(),
      stepStartedAt: Type.Optional(Type.Number()),
    }),
  ),
  live: Type.Object({
    running: Type.Boolean(),
    /** Events per second out of all sources. */
    eventsPerSec: Type.Number(),
    /** The worst link's failed share (0..1). */
    errorRate: Type.Number(),
    /** Consumer lag over all consume links. */
    lag: Type.Number(),
    /** The current step's measured numbers by name. */
    values: Type.Record(Type.String(), Type.Number()),
  }),
});
export type AttendeeRow = Type.Static<typeof AttendeeRow>;

/** How many attendees are at each step of each lab in use, and how many have it green: the room's progress. */
export const RoomProgress = Type.Object({
  labId: Type.String(),
  title: Type.String(),
  attendees: Type.Number(),
  steps: Type.Array(Type.Object({ title: Type.String(), working: Type.Number(), done: Type.Number() })),
});
export type RoomProgress = Type.Static<typeof RoomProgress>;

/** Spread of one measured number over the attendees who measured it. */
export const Spread = Type.Object({
  n: Type.Number(),
  median: Type.Number(),
  min: Type.Number(),
  max: Type.Number(),
});
export type Spread = Type.Static<typeof Spread>;

/**
 * A step's measured number across the room, in the unit its lab measures it (`formatMeasured`), named in
 * words: the measure's `label`, or "highest error rate of Shop (REST)" derived from its metric.
 */
export const MeasuredSpread = Type.Object({
  ...Spread.properties,
  unit: Type.Optional(Type.String()),
  label: Type.String(),
});
export type MeasuredSpread = Type.Static<typeof MeasuredSpread>;

export const StepSummary = Type.Object({
  id: Type.String(),
  title: Type.String(),
  /** Attendees of this lab who reached the step, and who finished it (green). */
  reached: Type.Number(),
  done: Type.Number(),
  /** done / attendees of the lab (0..1). */
  completionRate: Type.Number(),
  /** From the step's start to it turning green, over those who finished it. */
  medianSeconds: Type.Optional(Type.Number()),
  /** The step's measured numbers across the room, by name. */
  values: Type.Record(Type.String(), MeasuredSpread),
  /** The step's explanation (Markdown) with the room's medians in place of one learner's numbers. */
  explanation: Type.Optional(Type.String()),
  predictions: Type.Optional(
    Type.Object({
      /** Attendees who predicted, and whose prediction matched the measured blast radius exactly. */
      predicted: Type.Number(),
      exact: Type.Number(),
      /** Per node: how many predicted it would suffer, and in how many runs it did. */
      nodes: Type.Record(
        Type.String(),
        Type.Object({ label: Type.String(), predicted: Type.Number(), suffered: Type.Number() }),
      ),
    }),
  ),
});
export type StepSummary = Type.Static<typeof StepSummary>;

export const ClassLabSummary = Type.Object({
  labId: Type.String(),
  title: Type.String(),
  attendees: Type.Number(),
  /** Attendees who finished every step. */
  completed: Type.Number(),
  steps: Type.Array(StepSummary),
});
export type ClassLabSummary = Type.Static<typeof ClassLabSummary>;

/** GET /api/classroom: the dashboard. */
export const ClassroomState = Type.Object({
  code: Type.String(),
  joinUrls: Type.Array(Type.String()),
  maxAttendees: Type.Number(),
  stuckMinutes: Type.Number(),
  /** The server's clock, for times on a step. */
  now: Type.Number(),
  attendees: Type.Array(AttendeeRow),
  progress: Type.Array(RoomProgress),
});
export type ClassroomState = Type.Static<typeof ClassroomState>;

/** GET /api/classroom/summary. */
export const ClassSummary = Type.Object({
  attendees: Type.Number(),
  labs: Type.Array(ClassLabSummary),
});
export type ClassSummary = Type.Static<typeof ClassSummary>;

/** GET /api/classroom/me: an attendee's own view. */
export const AttendeeSelf = Type.Object({
  id: Type.String(),
  name: Type.String(),
  workspace: Type.String(),
  helpSince: Type.Optional(Type.Number()),
  notices: Type.Array(ClassNotice),
});
export type AttendeeSelf = Type.Static<typeof AttendeeSelf>;

/** The answer of each attendee's lab to a command sent to everyone. */
export const EveryoneResult = Type.Object({
  results: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), ok: Type.Boolean(), error: Type.Optional(Type.String()) }),
  ),
});
export type EveryoneResult = Type.Static<typeof EveryoneResult>;

/** POST /api/classroom/join: the attendee's workspace (`resumed`: this browser had joined already). */
export const Joined = Type.Object({
  workspace: Type.String(),
  name: Type.String(),
  url: Type.String(),
  resumed: Type.Boolean(),
});
export type Joined = Type.Static<typeof Joined>;

/** POST /api/classroom/me/help: the help request's state (helpSince absent: withdrawn). */
export const HelpState = Type.Object({ ok: Type.Literal(true), helpSince: Type.Optional(Type.Number()) });
export type HelpState = Type.Static<typeof HelpState>;

/** POST /api/classroom/broadcast and …/attendees/:id/hint: the notice sent. */
export const NoticeSent = Type.Object({ ok: Type.Literal(true), notice: ClassNotice });
export type NoticeSent = Type.Static<typeof NoticeSent>;

/** POST /api/classroom/attendees/:id/reset: the lab they restarted. */
export const AttendeeReset = Type.Object({ ok: Type.Literal(true), labId: Type.String() });
export type AttendeeReset = Type.Static<typeof AttendeeReset>;

/** POST /api/classroom/attendees/:id/remove: who left, and what became of their workspace's topics. */
export const AttendeeRemoved = Type.Object({ ok: Type.Literal(true), name: Type.String(), outcome: Type.String() });
export type AttendeeRemoved = Type.Static<typeof AttendeeRemoved>;

/** The dashboard asks for `GET /api/classroom` this long after its previous answer. */
export const DASHBOARD_POLL_MS = 250;
/**
 * An attendee's page asks for its notices (`GET /api/classroom/me`) this often: they arrive on the live feed
 * at once; this catches up on any sent while the feed was down.
 */
export const NOTICE_POLL_MS = 5_000;
