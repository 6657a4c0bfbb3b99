import type { TopicLive } from '@lab/model';
import { fmtCount } from '../format/numbers';

export interface Lane {
  /** End offset as printed. */
  end: string;
  /** What the lane's end shows: the offset, or a dash before any live numbers. */
  shown: string;
  /** Width of the filled part, percent of the fullest lane. */
  fill: number;
  /** Where each consumer group committed: [group, committed as printed, left in percent]. */
  commits: [string, string, number][];
}

/** A topic's partition lanes as the card draws them: only what shows, rounded as it shows. */
export function topicLanes(live: TopicLive | undefined, partitions: number): Lane[] {
  const ends = live?.endOffsets ?? Array.from({ length: partitions }, () => 0);
  const fullest = Math.max(1, ...ends);
  const groups = Object.entries(live?.groups ?? {});
  const pct = (n: number) => Math.round((n / fullest) * 1000) / 10;
  return ends.map((end, p) => ({
    end: fmtCount(end),
    shown: live ? fmtCount(end) : '—',
    fill: pct(end),
    commits: groups.map(([group, g]) => [group, fmtCount(g.committed[p] ?? 0), pct(g.committed[p] ?? 0)]),
  }));
}
