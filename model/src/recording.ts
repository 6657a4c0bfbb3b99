import Type from 'typebox';
import type { LogEntry, Snapshot } from './protocol.js';
import { idRecord, own } from './records.js';
import type { TopologyDocument } from './topology.js';

/**
 * A run's recording ("flight recorder"): NDJSON, one line per record, in time order. The first line is the
 * header; every later line carries `t`, milliseconds since the header's `startedAt`. The live state is kept as
 * a keyframe (`k`, the whole snapshot) now and then and, between keyframes, as merge patches (`p`, see
 * mergePatch) from the previous line's state, so a player can start at any keyframe.
 */
export const RECORDING_FORMAT = 1;

export interface RecordingHeader {
  type: 'recording';
  format: number;
  id: string;
  /** Epoch ms of the first record. */
  startedAt: number;
  /** What was run: the topology's name, or the lab's title. */
  name: string;
  labId?: string;
  serverVersion: string;
}

export type RecordingLine =
  | { t: number; k: Snapshot }
  | { t: number; p: MergePatch }
  /** The topology as it ran from here on (at the start, and whenever it was edited or a lab swapped it). */
  | { t: number; topology: TopologyDocument }
  | { t: number; log: LogEntry }
  /** A lab's definition (as GET /api/labs/:id answers), when the run's lab changes: the guide's text in a replay. */
  | { t: number; labDefinition: { id: string } & Record<string, unknown> }
  /** The recording reached its size bound and stops here; the run went on. */
  | { t: number; truncated: string }
  /** The run stopped (or the server closed): the last line of a complete recording. */
  | { t: number; end: true };

/** What the API lists of a recording (`GET /api/recordings`). */
export const RecordingInfo = Type.Object({
  id: Type.String(),
  name: Type.String(),
  labId: Type.Optional(Type.String()),
  startedAt: Type.Number(),
  /** Milliseconds from the first record to the last so far. */
  durationMs: Type.Number(),
  /** Size of the recording's text (before compression at rest). */
  bytes: Type.Number(),
  /** Still being written: the current run. */
  live: Type.Boolean(),
  truncated: Type.Optional(Type.Boolean()),
});
export type RecordingInfo = Type.Static<typeof RecordingInfo>;

/**
 * RFC 7386 JSON merge patch (objects are patched key by key, anything else replaced; null deletes), with one
 * addition: an array that kept its length and changed in few places is patched by index as
 * `{ "[]": { "<index>": patch } }` (a lab step's conditions change their numbers, not their number).
 */
export type MergePatch = { [key: string]: unknown };

const ARRAY_PATCH = '[]';

/**
 * The merge patch that turns `from` into `to`, or undefined when they are equal. Objects shared between the two
 * (the live state keeps unchanged entries by reference) are skipped without a look inside. Neither side may
 * hold null values (a snapshot never does: absent fields are left out).
 */
export function mergePatch(from: object, to: object): MergePatch | undefined {
  // Keys are node, link and topic ids, which may be "__proto__" or "constructor": records without a prototype.
  const patch: MergePatch = idRecord();
  let any = false;
  const before = from as Record<string, unknown>;
  const after = to as Record<string, unknown>;
  for (const [key, value] of Object.entries(after)) {
    const old = own(before, key);
    if (old === value || value === undefined) continue;
    if (isPlainObject(old) && isPlainObject(value)) {
      const inner = mergePatch(old, value);
      if (inner === undefined) continue;
      patch[key] = inner;
    } else if (Array.isArray(old) && Array.isArray(value)) {
      if (sameJson(old, value)) continue;
      patch[key] = arrayPatch(old, value) ?? value;
    } else {
      patch[key] = value;
    }
    any = true;
  }
  for (const key of Object.keys(before)) {
    if (before[key] !== undefined && own(after, key) === undefined) {
      patch[key] = null;
      any = true;
    }
  }
  return any ? patch : undefined;
}

/** `base` with `patch` applied, as a new value sharing every part the patch did not touch. */
export function applyMergePatch<T extends object>(base: T, patch: MergePatch): T {
  const next: Record<string, unknown> = Object.assign(idRecord(), base);
  for (const [key, value] of Object.entries(patch)) {
    const current = own(next, key);
    if (value === null) delete next[key];
    else if (isPlainObject(value) && Array.isArray(current) && Object.hasOwn(value, ARRAY_PATCH)) {
      const items = [...current];
      for (const [index, item] of Object.entries(value[ARRAY_PATCH] as MergePatch)) {
        const i = Number(index);
        items[i] = isPlainObject(item) && isPlainObject(items[i]) ? applyMergePatch(items[i], item) : item;
      }
      next[key] = items;
    } else if (isPlainObject(value) && isPlainObject(current)) next[key] = applyMergePatch(current, value);
    else next[key] = value;
  }
  return next as T;
}

/** A by-index patch of objects in a same-length array, when it is shorter than the array itself. */
function arrayPatch(old: unknown[], value: unknown[]): MergePatch | undefined {
  if (old.length !== value.length) return undefined;
  const items: MergePatch = idRecord();
  for (const [i, item] of value.entries()) {
    const before = old[i];
    if (isPlainObject(before) && isPlainObject(item)) {
      const inner = mergePatch(before, item);
      if (inner) items[i] = inner;
    } else if (JSON.stringify(before) !== JSON.stringify(item)) items[i] = item;
  }
  const patch = { [ARRAY_PATCH]: items };
  return JSON.stringify(patch).length < JSON.stringify(value).length ? patch : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameJson(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}

/** A recording read into what a player needs: the state at each recorded moment, the topologies, the log. */
export interface Replay {
  header: RecordingHeader;
  /** Times (ms from the start) and states, in time order; each state shares unchanged parts with the last. */
  frames: { t: number; snapshot: Snapshot }[];
  topologies: { t: number; topology: TopologyDocument }[];
  log: { t: number; entry: LogEntry }[];
  /** The labs' definitions by id, for the guide. */
  labs: Record<string, { id: string } & Record<string, unknown>>;
  durationMs: number;
  /** Why the recording stops early, if it does. */
  truncated?: string;
  /** It ends with the run (false: the run was still on, or the server stopped mid-write). */
  complete: boolean;
}

/**
 * Reads a recording's NDJSON text. A last line cut short (a recording still being written) is left out;
 * anything else that is not a recording is an error naming the line.
 */
export function parseRecording(text: string): Replay {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const parsed: unknown[] = [];
  for (const [index, line] of lines.entries()) {
    try {
      parsed.push(JSON.parse(line));
    } catch {
      // No header (not a recording, said below), or the last line being written.
      if (index === 0 || index === lines.length - 1) break;
      throw new Error(`Line ${index + 1} of the recording is not JSON`);
    }
  }
  const header = parsed[0] as RecordingHeader | undefined;
  if (header?.type !== 'recording') throw new Error('This is not a recording of the lab: its first line has no header');
  if (header.format !== RECORDING_FORMAT) {
    throw new Error(
      `This recording has format ${header.format}; this version of the lab plays format ${RECORDING_FORMAT}`,
    );
  }
  const replay: Replay = {
    header,
    frames: [],
    topologies: [],
    log: [],
    labs: idRecord(),
    durationMs: 0,
    complete: false,
  };
  let state: Snapshot | undefined;
  for (const [index, value] of parsed.slice(1).entries()) {
    const line = value as RecordingLine;
    if (typeof line?.t !== 'number') throw new Error(`Line ${index + 2} of the recording has no time`);
    replay.durationMs = Math.max(replay.durationMs, line.t);
    if ('k' in line) state = line.k;
    else if ('p' in line) {
      if (!state) throw new Error(`Line ${index + 2} of the recording changes a state it never gave`);
      state = applyMergePatch(state, line.p);
    } else if ('topology' in line) replay.topologies.push({ t: line.t, topology: line.topology });
    else if ('log' in line) replay.log.push({ t: line.t, entry: line.log });
    else if ('labDefinition' in line) replay.labs[line.labDefinition.id] = line.labDefinition;
    else if ('truncated' in line) replay.truncated = line.truncated;
    else if ('end' in line) replay.complete = true;
    if (('k' in line || 'p' in line) && state) {
      const last = replay.frames.at(-1);
      if (last?.t === line.t) last.snapshot = state;
      else replay.frames.push({ t: line.t, snapshot: state });
    }
  }
  if (replay.frames.length === 0) throw new Error('The recording holds no state to show');
  return replay;
}

/** Index of the last element whose `t` is at or before `t` (0 when `t` is before all of them). */
export function indexAt(items: readonly { t: number }[], t: number): number {
  let low = 0;
  let high = items.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (items[mid]!.t <= t) low = mid;
    else high = mid - 1;
  }
  return low;
}
