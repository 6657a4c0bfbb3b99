import type { ClassNotice } from './protocol.js';
/**
 * The classroom's HTTP contract (server/src/classroom/*): what the instructor's dashboard and summary read.
 * Types only: the server builds them from each attendee's lab progress and live snapshot.
 */

/** One attendee as the dashboard shows them: where they are in their lab, and their run's numbers now. */
export interface AttendeeRow {
  id: string;
  name: string;
  joinedAt: number;
  /** A browser tab of theirs has the live feed open. */
  online: boolean;
  helpSince?: number;
  lab?: {
    id: string;
    title: string;
    /** Index of the step being worked on; equals `steps` once complete. */
    current: number;
    steps: number;
    stepTitle?: string;
    /** The current step's conditions met, of all. */
    met: number;
    conditions: number;
    /** The current step is green (Continue is offered). */
    passed: boolean;
    stepStartedAt?: number;
  };
  live: {
    running: boolean;
    /** Events per second out of all sources. */
    eventsPerSec: number;
    /** The worst link's failed share (0..1). */
    errorRate: number;
    /** Consumer lag over all consume links. */
    lag: number;
    /** The current step's measured numbers by name. */
    values: Record<string, number>;
  };
}

/** How many attendees are at each step of each lab in use, and how many have it green: the room's progress. */
export interface RoomProgress {
  labId: string;
  title: string;
  attendees: number;
  steps: { title: string; working: number; done: number }[];
}

/**
 * A step's measured number across the room, in the unit its lab measures it (`formatMeasured`), named in
 * words: the measure's `label`, or "highest error rate of Shop (REST)" derived from its metric.
 */
export type MeasuredSpread = Spread & { unit?: string; label: string };

/** Spread of one measured number over the attendees who measured it. */
export interface Spread {
  n: number;
  median: number;
  min: number;
  max: number;
}

export interface StepSummary {
  id: string;
  title: string;
  /** Attendees of this lab who reached the step, and who finished it (green). */
  reached: number;
  done: number;
  /** done / attendees of the lab (0..1). */
  completionRate: number;
  /** From the step's start to it turning green, over those who finished it. */
  medianSeconds?: number;
  /** The step's measured numbers across the room, by name. */
  values: Record<string, MeasuredSpread>;
  /** The step's explanation (Markdown) with the room's medians in place of one learner's numbers. */
  explanation?: string;
  predictions?: {
    /** Attendees who predicted, and whose prediction matched the measured blast radius exactly. */
    predicted: number;
    exact: number;
    /** Per node (with its name on the canvas): how many predicted it would suffer, and in how many runs it did. */
    nodes: Record<string, { label: string; predicted: number; suffered: number }>;
  };
}

export interface ClassLabSummary {
  labId: string;
  title: string;
  attendees: number;
  /** Attendees who finished every step. */
  completed: number;
  steps: StepSummary[];
}

/** GET /api/classroom: the dashboard. */
export interface ClassroomState {
  code: string;
  joinUrls: string[];
  maxAttendees: number;
  stuckMinutes: number;
  /** The server's clock, for times on a step. */
  now: number;
  attendees: AttendeeRow[];
  progress: RoomProgress[];
}

/** GET /api/classroom/summary. */
export interface ClassSummary {
  attendees: number;
  labs: ClassLabSummary[];
}

/** GET /api/classroom/me: an attendee's own view. */
export interface AttendeeSelf {
  id: string;
  name: string;
  workspace: string;
  helpSince?: number;
  notices: ClassNotice[];
}

/** The answer of each attendee's lab to a command sent to everyone. */
export interface EveryoneResult {
  results: { id: string; name: string; ok: boolean; error?: string }[];
}

/** The dashboard asks for `GET /api/classroom` this long after its previous answer. */
export const DASHBOARD_POLL_MS = 250;
/**
 * An attendee's page asks for its notices (`GET /api/classroom/me`) this often: they arrive on the live feed
 * at once; this catches up on any sent while the feed was down.
 */
export const NOTICE_POLL_MS = 5_000;
