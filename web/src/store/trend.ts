import { idRecord, type Snapshot } from '@lab/model';
import type { StateCreator } from 'zustand';

/** One node's numbers at one moment, as the charts plot them. */
export interface NodeTrend {
  inRate: number;
  outRate: number;
  p99Ms: number;
  /** Share of inputs that failed, 0..1 (services; 0 for sources and topics). */
  errorRate: number;
  /** Services: their group's lag over all topics they consume. Topics: all groups' lag. */
  lag: number;
}
export interface TrendSample {
  at: number;
  nodes: Record<string, NodeTrend>;
}

/** One sample a second for five minutes: what a learner looks back on during an experiment. */
export const TREND_EVERY_MS = 1000;
export const TREND_SAMPLES = 300;

export interface TrendSlice {
  trend: TrendSample[];
  /** The run the samples belong to: a new run starts a new trend. */
  trendRun: number | undefined;
  recordTrend: (snapshot: Snapshot, at: number) => void;
}

export const createTrendSlice: StateCreator<TrendSlice, [], [], TrendSlice> = (set, get) => ({
  trend: [],
  trendRun: undefined,
  recordTrend: (snapshot, at) => {
    const { trend, trendRun } = get();
    if (!snapshot.running) return;
    const sameRun = snapshot.startedAt === trendRun;
    const last = sameRun ? trend.at(-1) : undefined;
    if (last && at - last.at < TREND_EVERY_MS) return;
    const kept = sameRun ? trend.slice(-(TREND_SAMPLES - 1)) : [];
    set({ trend: [...kept, { at, nodes: trendOf(snapshot) }], trendRun: snapshot.startedAt });
  },
});

export function trendOf(snapshot: Snapshot): Record<string, NodeTrend> {
  const lag = idRecord<number>();
  for (const [topicId, topic] of Object.entries(snapshot.topics)) {
    for (const [serviceId, group] of Object.entries(topic.groups)) {
      lag[serviceId] = (lag[serviceId] ?? 0) + group.lag;
      lag[topicId] = (lag[topicId] ?? 0) + group.lag;
    }
  }
  const nodes = idRecord<NodeTrend>();
  for (const [id, node] of Object.entries(snapshot.nodes)) {
    nodes[id] = {
      inRate: node.inRate,
      outRate: node.outRate,
      p99Ms: node.p99Ms,
      errorRate: node.errorRate,
      lag: lag[id] ?? 0,
    };
  }
  for (const id of Object.keys(snapshot.topics)) {
    nodes[id] ??= { inRate: 0, outRate: 0, p99Ms: 0, errorRate: 0, lag: lag[id] ?? 0 };
  }
  return nodes;
}
