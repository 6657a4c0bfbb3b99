import type { Behavior } from '@lab/model';
import type { LabEvent } from './event.js';

/**
 * What a service emits for one input, by its declared behavior: `all` its produce links, only those to
 * some `topics`, an `alert` (a new event) on all of them, or `none` (filtered out, still processed).
 */
export type Decision =
  | { emit: 'all' }
  | { emit: 'topics'; topics: Set<string> }
  | { emit: 'alert'; payload: Record<string, unknown>; type: string }
  | { emit: 'none'; why: 'filtered' | 'unrouted' | 'counted' | 'stored' };

type Filter = Extract<Behavior, { kind: 'filter' }>;
type Window = Extract<Behavior, { kind: 'window' }>;

/** Decides per input; keeps the windows and the view, which live in the instance's memory. */
export class BehaviorState {
  private readonly windows = new Map<string, { at: number; amount: number }[]>();
  readonly view = new Map<string, Record<string, unknown>>();

  decide(behavior: Behavior, event: LabEvent, now = Date.now()): Decision {
    switch (behavior.kind) {
      case 'forward':
      case 'poll':
        return { emit: 'all' };
      case 'filter':
        return matches(behavior, event.payload[behavior.field]) ? { emit: 'all' } : { emit: 'none', why: 'filtered' };
      case 'route': {
        const value = event.payload[behavior.field];
        const topic = (value === undefined ? undefined : behavior.routes[String(value)]) ?? behavior.otherwise;
        return topic ? { emit: 'topics', topics: new Set([topic]) } : { emit: 'none', why: 'unrouted' };
      }
      case 'window':
        return this.window(behavior, event, now);
      case 'view': {
        const key = event.payload[behavior.key];
        if (key !== undefined) this.view.set(String(key), event.payload);
        return { emit: 'none', why: 'stored' };
      }
    }
  }

  /** A sliding window per key: old entries fall out; reaching the threshold emits one alert and starts over. */
  private window(behavior: Window, event: LabEvent, now: number): Decision {
    const raw = event.payload[behavior.key];
    if (raw === undefined) return { emit: 'none', why: 'counted' };
    const key = String(raw);
    const amount = behavior.sum === undefined ? 1 : Number(event.payload[behavior.sum]) || 0;
    const entries = (this.windows.get(key) ?? []).filter((e) => now - e.at < behavior.windowMs);
    entries.push({ at: now, amount });
    const total = entries.reduce((a, e) => a + e.amount, 0);
    if (total < behavior.threshold) {
      this.windows.set(key, entries);
      return { emit: 'none', why: 'counted' };
    }
    this.windows.delete(key);
    return {
      emit: 'alert',
      type: behavior.alertType ?? 'alert',
      payload: {
        [behavior.key]: raw,
        [behavior.sum === undefined ? 'count' : `sum_${behavior.sum}`]: total,
        events: entries.length,
        withinMs: now - entries[0]!.at,
      },
    };
  }
}

function matches(filter: Filter, actual: unknown): boolean {
  const expected = filter.value;
  if (filter.op === '==') return actual === expected || String(actual) === String(expected);
  if (filter.op === '!=') return !(actual === expected || String(actual) === String(expected));
  const a = Number(actual);
  const b = Number(expected);
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  return filter.op === '>' ? a > b : filter.op === '>=' ? a >= b : filter.op === '<' ? a < b : a <= b;
}
