/**
 * Sliding windows over time, in buckets, so "per second" means the last few seconds and old data falls out
 * by itself. `now` is injectable for tests.
 */
export class CountWindow {
  private readonly buckets: number[];
  private readonly stamps: number[];

  constructor(
    private readonly spanMs = 3_000,
    private readonly bucketMs = 250,
    private readonly now: () => number = Date.now,
  ) {
    const size = Math.ceil(spanMs / bucketMs);
    this.buckets = new Array(size).fill(0);
    this.stamps = new Array(size).fill(-1);
  }

  add(count: number): void {
    if (count === 0) return;
    const slot = Math.floor(this.now() / this.bucketMs);
    const i = slot % this.buckets.length;
    if (this.stamps[i] !== slot) {
      this.stamps[i] = slot;
      this.buckets[i] = 0;
    }
    this.buckets[i]! += count;
  }

  /** Sum over the window. */
  total(): number {
    const current = Math.floor(this.now() / this.bucketMs);
    let sum = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      if (current - this.stamps[i]! < this.buckets.length) sum += this.buckets[i]!;
    }
    return sum;
  }

  /** Events per second over the window. */
  perSecond(): number {
    return this.total() / (this.spanMs / 1000);
  }
}

/** Latency samples of the last few seconds, for percentiles. Keeps at most `cap` samples. */
export class LatencyWindow {
  private samples: { at: number; ms: number }[] = [];

  constructor(
    private readonly spanMs = 5_000,
    private readonly cap = 4_000,
    private readonly now: () => number = Date.now,
  ) {}

  add(values: number[]): void {
    const at = this.now();
    for (const ms of values) this.samples.push({ at, ms });
    if (this.samples.length > this.cap) this.samples.splice(0, this.samples.length - this.cap);
  }

  /** [p50, p99] in ms over the window; 0 when nothing happened. */
  percentiles(): [number, number] {
    const since = this.now() - this.spanMs;
    if (this.samples.length && this.samples[0]!.at < since) this.samples = this.samples.filter((s) => s.at >= since);
    if (this.samples.length === 0) return [0, 0];
    const sorted = this.samples.map((s) => s.ms).sort((a, b) => a - b);
    return [percentile(sorted, 0.5), percentile(sorted, 0.99)];
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)]! * 10) / 10;
}
