import { describe, expect, it } from 'vitest';
import { errorRateValue, FAULT_DEFAULTS, FAULT_LIMITS, scaleValue, slowValue } from './faults.js';
import { LIMITS } from './topology.js';

describe('fault values', () => {
  it('slow: 500 ms by default, 0..60000 ms accepted, anything outside refused naming the bounds', () => {
    expect(slowValue(undefined)).toEqual({ ok: true, value: FAULT_DEFAULTS.slowMs });
    expect(FAULT_DEFAULTS.slowMs).toBe(500);
    expect(slowValue(0)).toEqual({ ok: true, value: 0 });
    expect(slowValue(60_000)).toEqual({ ok: true, value: 60_000 });
    for (const bad of [-1, 60_001, Number.NaN])
      expect(slowValue(bad)).toEqual({ ok: false, error: 'value: slow takes the added latency in ms, 0..60000' });
  });

  it('errors: half the inputs by default, a share 0..1 accepted, anything outside refused', () => {
    expect(errorRateValue(undefined)).toEqual({ ok: true, value: 0.5 });
    expect(errorRateValue(0)).toEqual({ ok: true, value: 0 });
    expect(errorRateValue(1)).toEqual({ ok: true, value: 1 });
    for (const bad of [-0.01, 1.01, 50])
      expect(errorRateValue(bad)).toEqual({ ok: false, error: 'value: errors takes an error rate between 0 and 1' });
  });

  it("scale: a whole count within a service's own instance bounds, and no default", () => {
    expect(FAULT_LIMITS.scale).toBe(LIMITS.instances);
    expect(scaleValue(1)).toEqual({ ok: true, value: 1 });
    expect(scaleValue(8)).toEqual({ ok: true, value: 8 });
    for (const bad of [undefined, 0, 9, 2.5])
      expect(scaleValue(bad)).toEqual({ ok: false, error: 'value: scale takes the new number of instances, 1..8' });
  });
});
