import type { Command, KeptTopology, Lab, LabProgress, LabSummary } from '@lab/model';
import { useCallback, useEffect, useState } from 'react';
import {
  continueLab,
  discardKept,
  getLab,
  keptTopology,
  labCommand,
  leaveLab,
  listLabs,
  restoreKept,
  scenario,
  startLab,
} from '../api/labs';
import { useLabProgress, useNotify, useTraceFilter } from '../store/selectors';
import { LabMarkdown } from './LabMarkdown';
import { awaitsPrediction, Conditions, PredictionResult, PredictPanel, type Run } from './LabStepParts';
import './lab-guide.css';
import { HelpButton } from '../classroom/AttendeeBar';
import { Icon } from '../icons/Icon';

/**
 * The lab guide beside the canvas: pick a lab, follow its steps (they turn green by themselves, from the
 * server's checks, and say why they are not green yet), read the explanation with your own numbers, and
 * press Continue when you have. Restart in one click; leave and get your own topology back.
 */
export function LabGuide() {
  const progress = useLabProgress();
  return (
    <section className="lab-guide" aria-label="Lab guide">
      <HelpButton />
      {progress ? <ActiveLab progress={progress} /> : <LabList />}
    </section>
  );
}

function useRun(): Run {
  const notify = useNotify();
  return useCallback(
    (what: string, action: () => Promise<unknown>) =>
      void action().catch((error: Error) => notify(`${what}: ${error.message}`, 'error')),
    [notify],
  );
}

const STATUS = {
  done: { icon: 'check', word: 'Done' },
  'in-progress': { icon: 'waiting', word: 'In progress' },
} as const;

function LabList() {
  const [labs, setLabs] = useState<LabSummary[]>();
  const [kept, setKept] = useState<KeptTopology | null>(null);
  const notify = useNotify();
  const run = useRun();
  useEffect(() => {
    listLabs().then(setLabs, (error: Error) => notify(`Labs: ${error.message}`, 'error'));
    keptTopology().then(setKept, () => setKept(null));
  }, [notify]);
  return (
    <>
      <h2>Guided labs</h2>
      {kept && (
        <div className="lab-kept" role="status">
          <p>
            Your own topology <strong>“{kept.name}”</strong> ({kept.nodes} nodes) was kept aside when the lab started.
          </p>
          <div className="button-group">
            <button
              type="button"
              className="button primary small"
              onClick={() => run('Restore your topology', () => restoreKept().then(() => setKept(null)))}
            >
              Restore my topology
            </button>
            <button
              type="button"
              className="button small ghost"
              onClick={() => run('Discard', () => discardKept().then(() => setKept(null)))}
            >
              Discard it
            </button>
          </div>
        </div>
      )}
      <p className="lab-intro">
        Each lab turns one claim about event-driven design into an experiment on the real broker. Starting one keeps
        your own topology aside; you get it back when you leave.
      </p>
      <ol className="lab-list">
        {labs?.map((lab) => (
          <li key={lab.id} className={lab.status ?? ''} data-testid={`lab-${lab.id}`}>
            <h3>
              {lab.title}
              {lab.status && (
                <span className={`lab-status ${lab.status}`}>
                  <Icon name={STATUS[lab.status].icon} /> {STATUS[lab.status].word}
                </span>
              )}
            </h3>
            <p>{lab.claim}</p>
            <p className="lab-meta">
              {lab.steps} steps · about {lab.minutes} min
            </p>
            <button
              type="button"
              className="button primary"
              aria-label={`Start lab: ${lab.title}`}
              onClick={() => run('Start lab', () => startLab(lab.id))}
            >
              {lab.status ? 'Start again' : 'Start'}
            </button>
          </li>
        ))}
      </ol>
    </>
  );
}

function ActiveLab({ progress }: { progress: LabProgress }) {
  const [lab, setLab] = useState<Lab>();
  const notify = useNotify();
  const { setTraceFilter } = useTraceFilter();
  const run = useRun();
  useEffect(() => {
    getLab(progress.labId).then(setLab, (error: Error) => notify(`Lab: ${error.message}`, 'error'));
  }, [progress.labId, notify]);
  const complete = progress.current >= progress.steps.length;
  return (
    <>
      <div className="lab-head">
        <h2>{progress.title}</h2>
        <div className="button-group">
          <button
            type="button"
            className="button small"
            onClick={() => run('Restart lab', () => startLab(progress.labId))}
          >
            <Icon name="restart" /> Restart lab
          </button>
          <button type="button" className="button small ghost" onClick={() => run('Leave lab', leaveLab)}>
            Leave
          </button>
        </div>
      </div>
      {lab && <p className="lab-claim">{lab.claim}</p>}
      <p className="lab-progress" aria-live="polite">
        {complete ? (
          <>
            <Icon name="check" /> Lab complete
          </>
        ) : (
          `Step ${progress.current + 1} of ${progress.steps.length}`
        )}
      </p>
      <ol className="lab-steps">
        {progress.steps.map((step, index) => {
          const text = lab?.steps[index];
          const current = index === progress.current;
          // A predict step's outcome: live while the step is open, frozen once continued.
          const outcome = current ? progress.step?.prediction : step.prediction;
          const state = current ? (step.done ? 'current done' : 'current') : step.done ? 'done' : 'todo';
          return (
            <li
              key={step.id}
              className={`lab-step ${state}`}
              data-testid={`lab-step-${step.id}`}
              aria-current={current ? 'step' : undefined}
            >
              <h3>
                <span className="lab-step-mark" aria-hidden="true">
                  {step.done ? <Icon name="check" size={12} /> : index + 1}
                </span>
                {step.title}
                {step.done && <span className="visually-hidden"> (done)</span>}
              </h3>
              {current && text && progress.step && (
                <>
                  <LabMarkdown>{text.body}</LabMarkdown>
                  {progress.step.prediction && awaitsPrediction(progress) && (
                    <PredictPanel prediction={progress.step.prediction} run={run} />
                  )}
                  {text.actions && (
                    <div className="lab-actions">
                      {text.actions.map((action) => (
                        <button
                          key={action.label}
                          type="button"
                          className="button primary"
                          disabled={awaitsPrediction(progress)}
                          title={awaitsPrediction(progress) ? 'Lock in your prediction first' : undefined}
                          onClick={() =>
                            run(action.label, async () => {
                              const { traceId } = await labCommand(action.command as Command);
                              if (traceId) setTraceFilter(traceId);
                            })
                          }
                        >
                          {action.label}
                        </button>
                      ))}
                    </div>
                  )}
                  {text.hints && text.hints.length > 0 && (
                    <details className="lab-hints">
                      <summary>Hint</summary>
                      <ul>
                        {text.hints.map((hint) => (
                          <li key={hint}>{hint}</li>
                        ))}
                      </ul>
                    </details>
                  )}
                  {!step.done && <Conditions step={progress.step} />}
                </>
              )}
              {outcome?.predicted && <PredictionResult prediction={outcome} final={!current} />}
              {step.done && step.explanation && (
                <div className="lab-explain" data-testid={`lab-explain-${step.id}`}>
                  <LabMarkdown>{step.explanation}</LabMarkdown>
                </div>
              )}
              {current && step.done && (
                <div className="lab-continue">
                  <p className="lab-waiting">
                    <Icon name="check" /> Done. The numbers above keep updating while you read; they are frozen when you
                    continue.
                  </p>
                  <button type="button" className="button primary" onClick={() => run('Continue', continueLab)}>
                    {index + 1 < progress.steps.length ? 'Continue →' : 'Finish the lab'}
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {progress.scenario.total > 0 && <ScenarioPlayer progress={progress} run={run} />}
    </>
  );
}

function ScenarioPlayer({ progress, run }: { progress: LabProgress; run: Run }) {
  const { playing, elapsedMs, fired, total } = progress.scenario;
  return (
    <section className="lab-scenario" aria-label="Scenario for instructors">
      <h3>Scenario</h3>
      <p>
        t+{(elapsedMs / 1000).toFixed(0)} s · {fired} of {total} events · steps continue by themselves
      </p>
      <div className="button-group">
        {playing ? (
          <button type="button" className="button small" onClick={() => run('Pause scenario', () => scenario('pause'))}>
            <Icon name="pause" /> Pause
          </button>
        ) : (
          <button type="button" className="button small" onClick={() => run('Play scenario', () => scenario('play'))}>
            <Icon name="play" /> Play
          </button>
        )}
        <button
          type="button"
          className="button small ghost"
          onClick={() => run('Restart scenario', () => scenario('restart'))}
        >
          <Icon name="restart" /> Restart
        </button>
      </div>
    </section>
  );
}
