import { type ConditionLive, type LabProgress, own, type PredictionLive, type StepLive } from '@lab/model';
import { useEffect, useState } from 'react';
import { predict } from '../api/labs';
import { Icon } from '../icons/Icon';
import { useNodeLabels, usePrediction } from '../store/selectors';

/**
 * Why the current step is (not yet) green: each condition with its live value and target, ticked as it
 * holds, and the minimum time the step asks the learner to watch.
 */
export function Conditions({ step }: { step: StepLive }) {
  return (
    <section className="lab-conditions" aria-label="What this step waits for">
      <ul>
        {step.conditions.map((c) => (
          <ConditionRow key={`${c.label} ${c.target}`} condition={c} />
        ))}
      </ul>
      <MinimumTime step={step} />
    </section>
  );
}

function ConditionRow({ condition: c }: { condition: ConditionLive }) {
  const state = c.met ? 'met' : c.waiting ? 'waiting' : c.holds ? 'holding' : 'unmet';
  const mark = { met: 'check', holding: 'waiting', unmet: 'close', waiting: 'chevron-down' } as const;
  const word = { met: 'met', holding: 'holding', unmet: 'not yet', waiting: 'after the previous one' }[state];
  return (
    <li className={`lab-condition ${state}`} data-testid="lab-condition">
      <span className="lab-condition-mark">
        <Icon name={mark[state]} />
      </span>
      <span>
        {c.label}: <strong data-testid="lab-condition-value">{c.value}</strong>
        <span className="lab-condition-target"> — needs {c.target}</span>
        {c.heldSeconds !== undefined && <span className="lab-condition-target"> (held {c.heldSeconds} s)</span>}
        <span className="visually-hidden"> ({word})</span>
      </span>
    </li>
  );
}

/** "Watch for at least 15 s: 9 s left", counting down between frames too. */
function MinimumTime({ step }: { step: StepLive }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  if (step.minSeconds <= 0 || step.passedAt !== undefined) return null;
  const left = Math.max(0, Math.ceil(step.minSeconds - (now - step.startedAt) / 1000));
  return (
    <p className="lab-minimum">
      This step asks you to watch for at least {step.minSeconds} s
      {left > 0 ? `: ${left} s left.` : '; the conditions above decide the rest.'}
    </p>
  );
}

/** Marking the nodes the learner expects to suffer, before the fault. */
export function PredictPanel({ prediction, run }: { prediction: PredictionLive; run: Run }) {
  const { predicting, marked, setPredicting } = usePrediction();
  const labels = useNodeLabels();
  return (
    <section className="lab-predict" aria-label="Your prediction">
      <p>
        <strong>Predict:</strong> click on the canvas each node you expect to suffer when{' '}
        {prediction.cause.map((c) => own(labels, c) ?? c).join(' and ')}{' '}
        {prediction.cause.length > 1 ? 'fail' : 'fails'}. Click again to unmark.
      </p>
      <p data-testid="lab-marked">
        {marked.length === 0
          ? 'Nothing marked: you expect no other node to suffer.'
          : `Marked: ${marked.map((m) => own(labels, m) ?? m).join(', ')}`}
      </p>
      <button
        type="button"
        className="button primary"
        disabled={!predicting}
        onClick={() => run('Prediction', () => predict(marked).then(() => setPredicting(false)))}
      >
        Lock in my prediction
      </button>
    </section>
  );
}

/** Predicted against measured blast radius: hits, surprises, false alarms. */
export function PredictionResult({ prediction, final }: { prediction: PredictionLive; final: boolean }) {
  const labels = useNodeLabels();
  const predicted = new Set(prediction.predicted ?? []);
  const suffered = new Set(prediction.suffered);
  const nodes = [...new Set([...predicted, ...suffered])];
  const name = (id: string) => own(labels, id) ?? id;
  const hits = nodes.filter((n) => predicted.has(n) && suffered.has(n)).length;
  return (
    <div className="lab-prediction" data-testid="lab-prediction">
      <h4>
        Your prediction against what happened{final ? '' : ' (so far)'}: {hits} of {nodes.length} right
      </h4>
      {nodes.length === 0 ? (
        <p>You predicted no other node would suffer, and none has.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">node</th>
              <th scope="col">you predicted</th>
              <th scope="col">measured</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {nodes.map((n) => {
              const hit = predicted.has(n) === suffered.has(n);
              return (
                <tr key={n} className={hit ? 'hit' : 'miss'}>
                  <td>{name(n)}</td>
                  <td>{predicted.has(n) ? 'suffers' : '—'}</td>
                  <td>{suffered.has(n) ? `suffered: ${own(prediction.reasons, n)}` : 'unaffected'}</td>
                  <td>
                    <Icon name={hit ? 'check' : 'close'} /> {hit ? 'hit' : predicted.has(n) ? 'false alarm' : 'missed'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

export type Run = (what: string, action: () => Promise<unknown>) => void;

/** The current step waits for the learner's prediction (the scenario player does not predict). */
export function awaitsPrediction(progress: LabProgress | undefined): boolean {
  const prediction = progress?.step?.prediction;
  return Boolean(prediction && !prediction.predicted && !progress?.scenario.fired);
}
