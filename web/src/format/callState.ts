import type { LinkLive } from '@lab/model';

/** Above these shares a REST call is drawn as failing (red) or timing out (amber). */
const FAILING = 0.2;
const TIMING_OUT = 0.1;

export type CallState = 'ok' | 'failing' | 'timing-out';

/**
 * The link's errorRate counts every failed call, timeouts included. Calls that got an error answer (or no
 * connection) are failing, red; calls that got no answer in time are timing out, amber: a hung callee is
 * amber, as the README promises, and a crashed or erroring one red. When both are high, red wins.
 */
export function callState(live: Pick<LinkLive, 'errorRate' | 'timeoutRate'> | undefined): CallState {
  if (!live) return 'ok';
  if (failedShare(live) > FAILING) return 'failing';
  if (live.timeoutRate > TIMING_OUT) return 'timing-out';
  return 'ok';
}

/** Calls that failed other than by timing out. */
export function failedShare(live: Pick<LinkLive, 'errorRate' | 'timeoutRate'>): number {
  return Math.max(0, live.errorRate - live.timeoutRate);
}
