/**
 * Delay before reconnect attempt `attempt` (1, 2, …): doubling from 250 ms, capped at 5 s, with jitter so
 * a room of browsers does not reconnect in lockstep after the server restarts.
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(5_000, 250 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}
