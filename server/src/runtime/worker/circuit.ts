import type { CircuitState } from '@lab/model';

/**
 * A circuit breaker as textbooks draw it: after `threshold` failures in a row it opens and fails calls at
 * once for `openMs`; then one trial call is let through (half-open): success closes it, failure re-opens.
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(
    private readonly onChange: (state: CircuitState) => void,
    private readonly threshold = 5,
    private readonly openMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  get current(): CircuitState {
    return this.state;
  }

  /** Whether a call may go out now. */
  allow(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open' && this.now() - this.openedAt >= this.openMs) this.set('half-open');
    if (this.state === 'half-open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return true;
    }
    return false;
  }

  success(): void {
    this.failures = 0;
    this.trialInFlight = false;
    if (this.state !== 'closed') this.set('closed');
  }

  failure(): void {
    this.trialInFlight = false;
    this.failures++;
    if (this.state === 'half-open' || (this.state === 'closed' && this.failures >= this.threshold)) {
      this.openedAt = this.now();
      this.set('open');
    }
  }

  private set(state: CircuitState) {
    this.state = state;
    this.onChange(state);
  }
}
