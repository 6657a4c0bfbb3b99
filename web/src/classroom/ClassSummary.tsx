import { type ClassSummary, formatMeasured, type MeasuredSpread } from '@lab/model';
import { useCallback, useEffect, useState } from 'react';
import { LabMarkdown } from '../panels/LabMarkdown';
import { classSummary } from './api';

const percent = (share: number) => `${Math.round(share * 100)}%`;
const duration = (seconds: number) => (seconds >= 90 ? `${Math.round(seconds / 60)} min` : `${seconds} s`);
/** A measured number in its unit, as the guide's explanation shows it ("94%", "230 ms", "412 events"). */
const inUnit = (s: MeasuredSpread, value: number) => formatMeasured(s.unit, Math.round(value * 10) / 10);
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
/** "94% (90% – 100%, n=28)"; a number everyone measured alike reads "516 (all 3)", not "516 (516 – 516)". */
const spreadText = (s: MeasuredSpread) => {
  if (s.n === 1) return `${inUnit(s, s.median)} (n=1)`;
  if (s.min === s.max) return `${inUnit(s, s.median)} (all ${s.n})`;
  return `${inUnit(s, s.median)} (${inUnit(s, s.min)} – ${inUnit(s, s.max)}, n=${s.n})`;
};

/**
 * The class summary: per step, how many finished and how fast, what they predicted against what happened, and
 * the room's own measured numbers (median, range, how many measured it). Read once when opened, refreshable.
 */
export function ClassSummaryView() {
  const [summary, setSummary] = useState<ClassSummary>();
  const [error, setError] = useState<string>();
  const load = useCallback(() => classSummary().then(setSummary, (err: Error) => setError(err.message)), []);
  useEffect(() => {
    void load();
  }, [load]);
  if (error)
    return (
      <p className="dash-error" role="alert">
        {error}
      </p>
    );
  if (!summary) return <p className="dash-muted">Loading the summary…</p>;
  return (
    <section className="dash-summary" aria-label="Class summary">
      <p>
        <button type="button" className="button small" onClick={() => void load()}>
          Refresh
        </button>{' '}
        {summary.attendees} attendees
      </p>
      {summary.labs.length === 0 && <p className="dash-muted">No attendee has a lab open yet.</p>}
      {summary.labs.map((lab) => (
        <div key={lab.labId}>
          <h2>
            {lab.title}{' '}
            <span className="dash-muted">
              · {lab.completed} of {lab.attendees} completed it
            </span>
          </h2>
          <table>
            <thead>
              <tr>
                <th>Step</th>
                <th>Done</th>
                <th>Median time</th>
                <th>Predictions</th>
                <th>The room's numbers: median (range, n)</th>
              </tr>
            </thead>
            <tbody>
              {lab.steps.map((step, i) => (
                <tr key={step.id}>
                  <td>
                    {i + 1}. {step.title}
                  </td>
                  <td>
                    {percent(step.completionRate)} <span className="dash-muted">({step.done})</span>
                  </td>
                  <td>{step.medianSeconds !== undefined ? duration(step.medianSeconds) : '—'}</td>
                  <td>
                    {step.predictions ? (
                      <>
                        <div>
                          <strong>
                            {step.predictions.exact}/{step.predictions.predicted}
                          </strong>{' '}
                          exactly right
                        </div>
                        {Object.entries(step.predictions.nodes).map(([node, n]) => (
                          <div key={node} className="dash-measure">
                            {n.label}: predicted by {n.predicted}, suffered in {n.suffered}
                          </div>
                        ))}
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    {Object.keys(step.values).length
                      ? Object.entries(step.values).map(([name, s]) => (
                          <div key={name} className="dash-measure">
                            {capitalised(s.label)}: <strong>{spreadText(s)}</strong>
                          </div>
                        ))
                      : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {lab.steps.some((step) => step.explanation) && (
            <section className="dash-explanations" aria-label={`${lab.title}: the room's medians`}>
              <h3>In the lab's words, with the room's medians</h3>
              {lab.steps.map(
                (step, i) =>
                  step.explanation && (
                    <div key={step.id} className="dash-explanation">
                      <h4>
                        {i + 1}. {step.title} <span className="dash-muted">(across {step.done} who finished it)</span>
                      </h4>
                      <LabMarkdown>{step.explanation}</LabMarkdown>
                    </div>
                  ),
              )}
            </section>
          )}
        </div>
      ))}
    </section>
  );
}
