import { LIMITS } from './topology.js';

/**
 * The values a fault takes (`POST /api/nodes/:id/actions`): the runtime refuses what is outside the bounds and
 * uses the default when none is given; the fault menu offers the defaults. One place, so the two cannot drift.
 */
export const FAULT_LIMITS = {
  /** slow: the latency added to each input, in ms. */
  slowMs: { min: 0, max: 60_000 },
  /** errors: the share of inputs that fail. */
  errorRate: { min: 0, max: 1 },
  /** scale: a service's new number of instances (a service's own bounds in the document). */
  scale: LIMITS.instances,
} as const;

/** The first experiment's values, when a fault is asked for without one. */
export const FAULT_DEFAULTS = {
  slowMs: 500,
  errorRate: 0.5,
} as const;

/** A fault's value, defaulted, or the problem with it (a message naming the field, as the API answers it). */
export type FaultValue = { ok: true; value: number } | { ok: false; error: string };

export function slowValue(value: number | undefined): FaultValue {
  const ms = value ?? FAULT_DEFAULTS.slowMs;
  const { min, max } = FAULT_LIMITS.slowMs;
  return ms >= min && ms <= max
    ? { ok: true, value: ms }
    : { ok: false, error: `value: slow takes the added latency in ms, ${min}..${max}` };
}

export function errorRateValue(value: number | undefined): FaultValue {
  const rate = value ?? FAULT_DEFAULTS.errorRate;
  const { min, max } = FAULT_LIMITS.errorRate;
  return rate >= min && rate <= max
    ? { ok: true, value: rate }
    : { ok: false, error: `value: errors takes an error rate between ${min} and ${max}` };
}

/** scale has no default: the new count is the point of the action. */
export function scaleValue(value: number | undefined): FaultValue {
  const { min, max } = FAULT_LIMITS.scale;
  return value !== undefined && Number.isInteger(value) && value >= min && value <= max
    ? { ok: true, value }
    : { ok: false, error: `value: scale takes the new number of instances, ${min}..${max}` };
}
