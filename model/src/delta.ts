import type { Snapshot, SnapshotDelta } from './protocol.js';
import { idRecord, own } from './records.js';

const RECORDS = ['nodes', 'links', 'topics', 'flows'] as const;
const FIELDS = ['running', 'startedAt', 'kafka', 'lab', 'topologyRevision'] as const;

/**
 * The delta that turns `from` into `to` (see SnapshotDelta): the top-level fields that differ, and per
 * record only the entries that differ. Entries are compared by value, so a republished but unchanged node
 * is not sent again, and the browser keeps its object (and its components their renders).
 */
export function diffSnapshot(from: Snapshot, to: Snapshot): SnapshotDelta {
  const delta = idRecord<unknown>();
  for (const field of FIELDS) {
    if (!sameValue(from[field], to[field])) delta[field] = to[field] ?? null;
  }
  for (const record of RECORDS) {
    const before = from[record] as Record<string, unknown>;
    const after = to[record] as Record<string, unknown>;
    if (before === after) continue;
    // Records keyed by node and link ids: prototype-free, read by own keys ("constructor" is a valid id).
    const changed = idRecord<unknown>();
    let any = false;
    for (const [id, entry] of Object.entries(after)) {
      if (!Object.hasOwn(before, id) || !sameValue(own(before, id), entry)) {
        changed[id] = entry;
        any = true;
      }
    }
    for (const id of Object.keys(before)) {
      if (!Object.hasOwn(after, id)) {
        changed[id] = null;
        any = true;
      }
    }
    if (any) delta[record] = changed;
  }
  return delta as SnapshotDelta;
}

/**
 * `base` with `delta` applied: a new snapshot that shares every entry the delta did not name with `base`
 * (so equality checks downstream see what did not change). `base` is not modified.
 */
export function applyDelta(base: Snapshot, delta: SnapshotDelta): Snapshot {
  const next: Record<string, unknown> = { ...base };
  for (const field of FIELDS) {
    if (!(field in delta)) continue;
    const value = delta[field];
    if (value === null || value === undefined) delete next[field];
    else next[field] = value;
  }
  for (const record of RECORDS) {
    const changes = delta[record];
    if (!changes) continue;
    const entries = idRecord<unknown>(Object.entries(base[record]));
    for (const [id, entry] of Object.entries(changes)) {
      if (entry === null) delete entries[id];
      else entries[id] = entry;
    }
    next[record] = entries;
  }
  return next as Snapshot;
}

/** Whether a delta changes nothing. */
export function isEmptyDelta(delta: SnapshotDelta): boolean {
  return Object.keys(delta).length === 0;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
