/**
 * An event's time as a learner compares it: seconds since the run started ("t+12.4 s"). Entries before the
 * run (Kafka starting, an edit) count down to it ("t−3.0 s"); with no run yet, the wall clock.
 */
export function relativeTime(at: number, startedAt: number | undefined): string {
  if (startedAt === undefined) return clock(new Date(at));
  const seconds = (at - startedAt) / 1000;
  const sign = seconds < 0 ? '−' : '+';
  return `t${sign}${Math.abs(seconds).toFixed(1)} s`;
}

const two = (n: number) => String(n).padStart(2, '0');
/** hh:mm:ss whatever the locale: the log's times line up in one column. */
const clock = (d: Date) => `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
