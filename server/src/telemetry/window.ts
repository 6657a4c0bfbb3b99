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

/**
 * Latency samples of the last few seconds, for percentiles. Keeps at most `cap` samples. The snapshot asks for
 * percentiles far more often than samples change (every publish, for every node and link), so the last answer
 * is kept until a sample comes or leaves, and the sort is a typed array's numeric one.
 */
export class LatencyWindow {
  /** Oldest first: when each sample came, and its value. */
  private at: number[] = [];
  private ms: number[] = [];
  private answer: [number, number] | undefined;

  constructor(
    private readonly spanMs = 5_000,
    private readonly cap = 4_000,
    private readonly now: () => number = Date.now,
  ) {}

  add(values: number[]): void {
    if (values.length === 0) return;
    const at = this.now();
    for (const ms of values) {
      this.at.push(at);
      this.ms.push(ms);
    }
    if (this.ms.length > this.cap) this.drop(this.ms.length - this.cap);
    this.answer = undefined;
  }

  /** [p50, p99] in ms over the window; 0 when nothing happened. */
  percentiles(): [number, number] {
    const since = this.now() - this.spanMs;
    let old = 0;
    while (old < this.at.length && this.at[old]! < since) old++;
    if (old) {
      this.drop(old);
      this.answer = undefined;
    }
    if (this.ms.length === 0) return [0, 0];
    if (!this.answer) {
      // Two selections instead of a sort: linear time, and the same nearest-rank values `percentile` picks.
      const values = Float64Array.from(this.ms);
      const p50 = rank(values.length, 0.5);
      const p99 = rank(values.length, 0.99);
      select(values, p50, 0);
      select(values, p99, p50);
      this.answer = [round(values[p50]!), round(values[p99]!)];
    }
    return [...this.answer];
  }

  private drop(count: number) {
    this.at.splice(0, count);
    this.ms.splice(0, count);
  }
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  return round(sorted[rank(sorted.length, p)]!);
}

/** The nearest-rank index of percentile `p` among `n` sorted values. */
function rank(n: number, p: number): number {
  return Math.max(0, Math.min(n - 1, Math.ceil(p * n) - 1));
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/**
 * Moves the k-th smallest of `values[from..]` to index k, smaller ones before it and larger ones after
 * (Hoare's selection, with the middle element as pivot).
 */
function select(values: Float64Array, k: number, from: number): void {
  let lo = from;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}
