import {
  type AttendeeRow,
  type ClassLabSummary,
  describeMetric,
  fillFromValues,
  formatMetric,
  type LabProgress,
  type LabStep,
  type Measure,
  measureUnit,
  type PredictionLive,
  type RoomProgress,
  type Snapshot,
  type Spread,
  type StepSummary,
  type Topology,
} from '@lab/model';
import type { Attendee } from './room.js';

/** `snapshot` is undefined while their workspace is evicted (idle): it comes back when they do. */
export function attendeeRow(attendee: Attendee, snapshot: Snapshot | undefined, online: boolean): AttendeeRow {
  const progress = snapshot?.lab;
  const step = progress ? progress.steps[progress.current] : undefined;
  const conditions = progress?.step?.conditions ?? [];
  let eventsPerSec = 0;
  for (const node of Object.values(snapshot?.nodes ?? {}))
    if (node.targetRate !== undefined) eventsPerSec += node.outRate;
  let errorRate = 0;
  let lag = 0;
  for (const link of Object.values(snapshot?.links ?? {})) {
    errorRate = Math.max(errorRate, link.errorRate);
    lag += link.lag ?? 0;
  }
  return {
    id: attendee.id,
    name: attendee.name,
    joinedAt: attendee.joinedAt,
    online,
    ...(attendee.helpSince !== undefined ? { helpSince: attendee.helpSince } : {}),
    ...(progress
      ? {
          lab: {
            id: progress.labId,
            title: progress.title,
            current: progress.current,
            steps: progress.steps.length,
            stepTitle: step?.title,
            met: conditions.filter((c) => c.met).length,
            conditions: conditions.length,
            passed: progress.step?.passedAt !== undefined,
            stepStartedAt: progress.step?.startedAt,
          },
        }
      : {}),
    live: {
      running: snapshot?.running ?? false,
      eventsPerSec: Math.round(eventsPerSec * 10) / 10,
      errorRate,
      lag,
      values: progress?.step?.values ?? {},
    },
  };
}

export function roomProgress(progresses: LabProgress[]): RoomProgress[] {
  const byLab = new Map<string, RoomProgress>();
  for (const p of progresses) {
    let lab = byLab.get(p.labId);
    if (!lab) {
      lab = {
        labId: p.labId,
        title: p.title,
        attendees: 0,
        steps: p.steps.map((s) => ({ title: s.title, working: 0, done: 0 })),
      };
      byLab.set(p.labId, lab);
    }
    lab.attendees++;
    p.steps.forEach((s, index) => {
      const entry = lab.steps[index];
      if (!entry) return;
      if (s.done) entry.done++;
      else if (index === p.current) entry.working++;
    });
  }
  return [...byLab.values()];
}

/**
 * The class summary: per lab in use, per step, the completion rate and median time, the predictions against
 * what happened, and the room's measured numbers (each attendee's as frozen at their Continue, or live on a
 * green current step). Only numbers measured are counted: a step nobody finished has no median. Each number
 * is named in words (the measure's `label`, or one derived from its metric and the lab's topology), and the
 * step's own explanation is filled with the room's medians, so the room reads the lab's text with its numbers.
 */
export function classSummary(progresses: LabProgress[], textOf: LabTextOf = () => undefined): ClassLabSummary[] {
  const byLab = new Map<string, LabProgress[]>();
  for (const p of progresses) byLab.set(p.labId, [...(byLab.get(p.labId) ?? []), p]);
  return [...byLab.values()].map((runs) => {
    const first = runs[0]!;
    const text = textOf(first.labId);
    return {
      labId: first.labId,
      title: first.title,
      attendees: runs.length,
      completed: runs.filter((p) => p.current >= p.steps.length).length,
      steps: first.steps.map((step, index) =>
        stepSummary(
          step.id,
          step.title,
          index,
          runs,
          text?.steps.find((s) => s.id === step.id),
          text?.topology,
        ),
      ),
    };
  });
}

/** A lab as written: its steps (measures, explanations) and its starting topology (the names of its parts). */
export interface LabText {
  steps: Pick<LabStep, 'id' | 'measures' | 'explain'>[];
  topology: Topology;
}
export type LabTextOf = (labId: string) => LabText | undefined;

const STAT_WORDS = { max: 'highest', min: 'lowest', mean: 'average', last: 'final' } as const;

/**
 * A measure in words, for a summary read off a projector: its own `label`, else "highest error rate of Shop
 * (REST)", "time from status of Payments (REST) == running until error rate of Shop (REST) < 1%".
 */
export function measureLabel(measure: Measure, topology: Topology | undefined): string {
  if (measure.label) return measure.label;
  const words = (path: string) => (topology ? describeMetric(path, topology) : path);
  if (measure.stat !== 'duration') return `${STAT_WORDS[measure.stat]} ${words(measure.metric)}`;
  const condition = (c: NonNullable<typeof measure.from>) =>
    'value' in c && c.value !== undefined
      ? `${words(c.metric)} ${c.op} ${formatMetric(c.metric, c.value)}`
      : `${words(c.metric)} ${c.op} ${c.than ? words(c.than) : ''}`;
  return `time ${measure.from ? `from ${condition(measure.from)} ` : ''}until ${condition(measure.until)}`;
}

function stepSummary(
  id: string,
  title: string,
  index: number,
  runs: LabProgress[],
  text: LabText['steps'][number] | undefined,
  topology: Topology | undefined,
): StepSummary {
  const measures = text?.measures ?? [];
  const durations: number[] = [];
  const values = new Map<string, number[]>();
  const predictions: PredictionLive[] = [];
  let reached = 0;
  let done = 0;
  for (const run of runs) {
    if (run.current < index) continue;
    reached++;
    const step = run.steps[index];
    if (!step?.done) continue;
    done++;
    const startedAt = step.startedAt ?? (index === run.current ? run.step?.startedAt : undefined);
    if (startedAt !== undefined && step.doneAt !== undefined) durations.push((step.doneAt - startedAt) / 1000);
    for (const [name, value] of Object.entries(step.values ?? {}))
      values.set(name, [...(values.get(name) ?? []), value]);
    const prediction = step.prediction ?? (index === run.current ? run.step?.prediction : undefined);
    if (prediction?.predicted) predictions.push(prediction);
  }
  const spreads = [...values].map(([name, list]) => {
    const measure = measures.find((m) => m.name === name);
    const unit = measure ? measureUnit(measure) : undefined;
    return [
      name,
      { ...spread(list), ...(unit ? { unit } : {}), label: measure ? measureLabel(measure, topology) : name },
    ] as const;
  });
  const summary: StepSummary = {
    id,
    title,
    reached,
    done,
    completionRate: runs.length ? done / runs.length : 0,
    ...(durations.length ? { medianSeconds: Math.round(median(durations)) } : {}),
    values: Object.fromEntries(spreads),
  };
  // Rounded as the page shows every number (one decimal): the text and the table agree.
  const medians = Object.fromEntries(spreads.map(([name, s]) => [name, Math.round(s.median * 10) / 10]));
  if (text?.explain && spreads.length) summary.explanation = fillFromValues(text.explain, measures, medians);
  if (predictions.length) summary.predictions = predictionSummary(predictions, topology);
  return summary;
}

function predictionSummary(
  predictions: PredictionLive[],
  topology: Topology | undefined,
): NonNullable<StepSummary['predictions']> {
  const nodes: NonNullable<StepSummary['predictions']>['nodes'] = Object.create(null);
  const label = (node: string) => topology?.nodes.find((n) => n.id === node)?.label ?? node;
  const entry = (node: string) => (nodes[node] ??= { label: label(node), predicted: 0, suffered: 0 });
  let exact = 0;
  for (const p of predictions) {
    const predicted = new Set(p.predicted);
    const suffered = new Set(p.suffered);
    for (const node of predicted) entry(node).predicted++;
    for (const node of suffered) entry(node).suffered++;
    if (predicted.size === suffered.size && [...predicted].every((n) => suffered.has(n))) exact++;
  }
  return { predicted: predictions.length, exact, nodes };
}

export function median(list: number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function spread(list: number[]): Spread {
  return { n: list.length, median: median(list), min: Math.min(...list), max: Math.max(...list) };
}
