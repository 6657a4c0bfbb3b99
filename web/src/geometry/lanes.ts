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
  /** Groups held on this partition behind an event they keep failing, with why. */
  blocked: string[];
}

/** How one consuming service finished the topic's events, as the card prints it. */
export interface GroupAccount {
  group: string;
  processed: string;
  deadLettered: number;
  lost: number;
  pending: number;
  duplicates: number;
  dropped: number;
}

export function groupAccounts(live: TopicLive | undefined): GroupAccount[] {
  return Object.entries(live?.groups ?? {}).map(([group, g]) => ({
    group,
    processed: fmtCount(g.processed ?? 0),
    deadLettered: g.deadLettered ?? 0,
    lost: g.lost ?? 0,
    pending: g.missing,
    duplicates: g.duplicates,
    dropped: g.dropped ?? 0,
  }));
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
    blocked: groups.flatMap(([group, g]) =>
      (g.blocked ?? []).filter((b) => b.partition === p).map((b) => `${group}: ${b.reason}`),
    ),
  }));
}
