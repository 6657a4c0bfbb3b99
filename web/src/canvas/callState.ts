import type { LinkLive } from '@lab/model';

/** Above these shares a REST call is drawn as failing (red) or timing out (amber). */
const FAILING = 0.2;
const TIMING_OUT = 0.1;

export type CallState = 'ok' | 'failing' | 'timing-out';

/** Failing wins over timing out: a call that mostly fails is red, whatever share of it were timeouts. */
export function callState(live: Pick<LinkLive, 'errorRate' | 'timeoutRate'> | undefined): CallState {
  if (!live) return 'ok';
  if (live.errorRate > FAILING) return 'failing';
  if (live.timeoutRate > TIMING_OUT) return 'timing-out';
  return 'ok';
}
