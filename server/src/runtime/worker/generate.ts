import { randomUUID } from 'node:crypto';
import { idRecord, type PayloadField, type SourcePattern } from '@lab/model';

/**
 * How busy a source is at `seconds` into the run, as a factor of its rate:
 * constant 1; burst 4× for 2 s of every 10 s and 0.25× between (same average as ~1×);
 * wave 1 ± 0.8 over a 20 s period; random 1 (its events come at random moments: see RandomArrivals).
 */
export function patternFactor(pattern: SourcePattern, seconds: number): number {
  switch (pattern) {
    case 'constant':
    case 'random':
      return 1;
    case 'burst':
      return seconds % 10 < 2 ? 4 : 0.25;
    case 'wave':
      return 1 + 0.8 * Math.sin((2 * Math.PI * seconds) / 20);
  }
}

/** One payload from its template. `sequence` counts per source; `id` is a short random id. */
export function makePayload(
  template: Record<string, PayloadField>,
  sequence: number,
  random: () => number = Math.random,
): Record<string, unknown> {
  const payload = idRecord<unknown>();
  for (const [name, field] of Object.entries(template)) {
    switch (field.kind) {
      case 'id':
        payload[name] = randomUUID().slice(0, 8);
        break;
      case 'sequence':
        payload[name] = sequence;
        break;
      case 'number': {
        const value = field.min + random() * (field.max - field.min);
        payload[name] = Number(value.toFixed(field.decimals ?? 0));
        break;
      }
      case 'choice':
        payload[name] = field.options[Math.floor(random() * field.options.length)];
        break;
    }
  }
  return payload;
}

/** Spreads a fractional rate over ticks: carries the remainder so 2.5 ev/s gives 5 events in 2 s. */
export class TickBudget {
  private carry = 0;

  take(perSecond: number, elapsedMs: number): number {
    this.carry += (perSecond * elapsedMs) / 1000;
    const whole = Math.floor(this.carry);
    this.carry -= whole;
    return whole;
  }
}

/**
 * Events at random moments (a Poisson process): the gaps between them are exponential, so the average rate is
 * `perSecond` but no two gaps are alike. An evenly spaced source locks into step with anything periodic that
 * watches it (a poller asking every second sees every change at the same phase, so "how late did it notice"
 * measures that phase, not the polling); random arrivals give the whole range, as real changes do.
 */
export class RandomArrivals {
  private next: number | undefined;
  private rate = 0;

  constructor(private readonly random: () => number = Math.random) {}

  /** How many events are due by `now` (ms). A new rate draws the next moment afresh (the process is memoryless). */
  take(perSecond: number, now: number): number {
    if (perSecond <= 0) {
      this.next = undefined;
      return 0;
    }
    if (this.next === undefined || perSecond !== this.rate) {
      this.rate = perSecond;
      this.next = now + this.gap();
    }
    let due = 0;
    while (this.next <= now) {
      due++;
      this.next += this.gap();
    }
    return due;
  }

  private gap(): number {
    return (-Math.log(1 - this.random()) / this.rate) * 1000;
  }
}
