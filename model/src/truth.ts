import { fillFromValues, readMetric } from './check.js';
import type { LabStep } from './lab.js';

/**
 * "Every number shown is the number measured": the ways a step's explanation could contradict the snapshot
 * its numbers were last recorded from. Empty when it agrees. Used by the headless lab tests and the e2e walks.
 */
export function explanationProblems(
  step: LabStep,
  finished: { explanation: string; values: Record<string, number> },
  snapshot: unknown,
): string[] {
  const problems: string[] = [];
  const measures = step.measures ?? [];
  const expected = fillFromValues(step.explain, measures, finished.values);
  if (expected !== finished.explanation)
    problems.push(`the explanation does not show the measured values ${JSON.stringify(finished.values)}`);
  for (const measure of measures) {
    const value = finished.values[measure.name];
    if (value === undefined) continue;
    if (measure.stat === 'duration') {
      if (value < 0) problems.push(`{{${measure.name}}} is a negative time: ${value} s`);
      continue;
    }
    const raw = readMetric(snapshot, measure.metric);
    if (typeof raw !== 'number') continue;
    const now = measure.unit === '%' ? Math.round(raw * 1000) / 10 : Math.round(raw * 10) / 10;
    const says = `{{${measure.name}}} (${measure.stat} of ${measure.metric}) says ${value}`;
    if (measure.stat === 'last' && value !== now) problems.push(`${says}, the snapshot shows ${now}`);
    if (measure.stat === 'max' && value < now) problems.push(`${says}, below the snapshot's ${now}`);
    if (measure.stat === 'min' && value > now) problems.push(`${says}, above the snapshot's ${now}`);
  }
  return problems;
}

/** The numbers in a text, in order, as written ("1,204", "95.3"): to compare a rendered explanation with its source. */
export function numbersIn(text: string): string[] {
  return [...text.matchAll(/\d[\d,]*(?:\.\d+)?/g)].map((m) => m[0]);
}
