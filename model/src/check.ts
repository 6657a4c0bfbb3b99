import { type Check, type Condition, type Measure, parseDuration } from './lab.js';
import { idRecord } from './records.js';

/**
 * Evaluates a lab step's check against live snapshots, one snapshot at a time. Pure: the state is passed in
 * and returned, so the server can keep it, persist it and test it without a clock.
 */
export interface CheckState {
  /** Per condition (all/any), since when it has held without a break. */
  since: (number | undefined)[];
  /** Sequence: the condition being waited on now. */
  position: number;
  done: boolean;
}

export const initialCheckState = (): CheckState => ({ since: [], position: 0, done: false });

/**
 * Reads a value by a dotted path. Ids may contain dots themselves ("orders.v2"), so at each level the
 * longest run of segments that names a key wins.
 */
export function readMetric(root: unknown, path: string): unknown {
  const segments = path.split('.');
  let value: unknown = root;
  let i = 0;
  while (i < segments.length) {
    if (typeof value !== 'object' || value === null) return undefined;
    let found = false;
    for (let j = segments.length; j > i; j--) {
      const key = segments.slice(i, j).join('.');
      if (Object.hasOwn(value, key)) {
        value = (value as Record<string, unknown>)[key];
        i = j;
        found = true;
        break;
      }
    }
    if (!found) return undefined;
  }
  return value;
}

/** What a condition compares against: its fixed value, or another metric (times `times`) read now. */
export function conditionTarget(condition: Condition, snapshot: unknown): unknown {
  if (condition.than === undefined) return condition.value;
  const other = readMetric(snapshot, condition.than);
  return typeof other === 'number' ? other * (condition.times ?? 1) : other;
}

export function conditionHolds(condition: Condition, snapshot: unknown): boolean {
  const actual = readMetric(snapshot, condition.metric);
  const expected = conditionTarget(condition, snapshot);
  if (actual === undefined || actual === null || expected === undefined || expected === null) return false;
  switch (condition.op) {
    case '==':
      return actual === expected;
    case '!=':
      return actual !== expected;
    default: {
      if (typeof actual !== 'number' || typeof expected !== 'number') return false;
      if (condition.op === '>') return actual > expected;
      if (condition.op === '>=') return actual >= expected;
      if (condition.op === '<') return actual < expected;
      return actual <= expected;
    }
  }
}

function heldLongEnough(condition: Condition, since: number | undefined, now: number): boolean {
  return since !== undefined && now - since >= (condition.for ? parseDuration(condition.for) : 0);
}

export function advanceCheck(check: Check, state: CheckState, snapshot: unknown, now: number): CheckState {
  if (state.done) return state;
  if ('sequence' in check) {
    let { position } = state;
    let since = state.since[0];
    // Several steps of a sequence may be met by the same snapshot (e.g. "lag > 50" then "lag < 100").
    while (position < check.sequence.length) {
      const condition = check.sequence[position]!;
      if (!conditionHolds(condition, snapshot)) {
        since = undefined;
        break;
      }
      since ??= now;
      if (!heldLongEnough(condition, since, now)) break;
      position++;
      since = undefined;
    }
    return { since: [since], position, done: position >= check.sequence.length };
  }
  const conditions = 'all' in check ? check.all : check.any;
  const since = conditions.map((c, i) => (conditionHolds(c, snapshot) ? (state.since[i] ?? now) : undefined));
  const met = conditions.map((c, i) => heldLongEnough(c, since[i], now));
  const done = 'all' in check ? met.every(Boolean) : met.some(Boolean);
  return { since, position: 0, done };
}

/** Running statistics of a metric measure. */
export interface MeasureStats {
  count: number;
  sum: number;
  min: number;
  max: number;
  last: number;
}
/** A duration measure: when its `from` first held, and the seconds until `until` held after it. */
export interface MeasureTimer {
  fromAt?: number;
  seconds?: number;
}
export type MeasureState = Record<string, MeasureStats | MeasureTimer>;

/**
 * Records one snapshot into a step's measures. `startedAt` is the step's start: a duration without `from`
 * counts from there.
 */
export function recordMeasures(
  measures: Measure[],
  state: MeasureState,
  snapshot: unknown,
  now = 0,
  startedAt = now,
): MeasureState {
  const next = { ...state };
  for (const measure of measures) {
    if (measure.stat === 'duration') {
      const timer = (next[measure.name] ?? {}) as MeasureTimer;
      if (timer.seconds !== undefined) continue;
      const fromAt =
        timer.fromAt ?? (measure.from ? (conditionHolds(measure.from, snapshot) ? now : undefined) : startedAt);
      const ended = fromAt !== undefined && conditionHolds(measure.until, snapshot);
      next[measure.name] = { fromAt, ...(ended ? { seconds: (now - fromAt) / 1000 } : {}) };
      continue;
    }
    const value = readMetric(snapshot, measure.metric);
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    const s = (next[measure.name] as MeasureStats | undefined) ?? {
      count: 0,
      sum: 0,
      min: value,
      max: value,
      last: value,
    };
    next[measure.name] = {
      count: s.count + 1,
      sum: s.sum + value,
      min: Math.min(s.min, value),
      max: Math.max(s.max, value),
      last: value,
    };
  }
  return next;
}

/** The measured value of one measure, as a learner reads it. */
export function measured(measure: Measure, state: MeasureState): number | undefined {
  const entry = state[measure.name];
  if (!entry) return undefined;
  if (measure.stat === 'duration') {
    const { seconds } = entry as MeasureTimer;
    return seconds === undefined ? undefined : Math.round(seconds * 10) / 10;
  }
  const s = entry as MeasureStats;
  const raw = measure.stat === 'mean' ? s.sum / s.count : s[measure.stat];
  // A share (0..1) measured with unit "%" reads as a percentage: 0.953 → 95.3.
  return measure.unit === '%' ? Math.round(raw * 1000) / 10 : Math.round(raw * 10) / 10;
}

/** Every measure's value as the learner reads it, by name (what `measures.<name>` checks and tests read). */
export function measuredValues(measures: Measure[], state: MeasureState): Record<string, number> {
  const values = idRecord<number>();
  for (const measure of measures) {
    const value = measured(measure, state);
    if (value !== undefined) values[measure.name] = value;
  }
  return values;
}

/** Fills `{{name}}` in a step's explanation with the learner's numbers ("—" where nothing was measured). */
export function fillExplanation(text: string, measures: Measure[], state: MeasureState): string {
  return fillFromValues(text, measures, measuredValues(measures, state));
}

/** The same, from the values as `measuredValues` gives them. */
export function fillFromValues(text: string, measures: Measure[], values: Record<string, number>): string {
  return text.replace(/\{\{\s*([a-zA-Z][a-zA-Z0-9]*)\s*\}\}/g, (_, name: string) => {
    const measure = measures.find((m) => m.name === name);
    if (!measure) return `{{${name}}}`;
    const value = values[name];
    if (value === undefined) return '—';
    return formatMeasured(measureUnit(measure), value);
  });
}

/** The unit a measured value is read in: a duration's seconds, or the measure's own. */
export const measureUnit = (measure: Measure): string | undefined => (measure.stat === 'duration' ? 's' : measure.unit);

/** A measured value (as `measuredValues` gives it) in its unit: "95.3%", "230 ms", "1 event", "12 events". */
export function formatMeasured(unit: string | undefined, value: number): string {
  if (unit === '%') return `${value.toLocaleString('en-US')}%`;
  return `${value.toLocaleString('en-US')}${unit ? ` ${unitFor(unit, value)}` : ''}`;
}

/** "1 event", "2 events": a plural word unit loses its s for exactly one (ms and ev/s are left alone). */
function unitFor(unit: string, value: number): string {
  return value === 1 && /^[a-z]{3,}s$/.test(unit) ? unit.slice(0, -1) : unit;
}
