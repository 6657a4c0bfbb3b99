import type { Command, Lab, LabProgress } from '@lab/model';
import { useCallback, useEffect, useState } from 'react';
import Markdown from 'react-markdown';
import { getLab, type LabSummary, labCommand, leaveLab, listLabs, scenario, startLab } from '../api/labs';
import { useLabProgress, useNotify } from '../store/selectors';
import './lab-guide.css';
import { Icon } from '../icons/Icon';

/**
 * The lab guide beside the canvas: pick a lab, follow its steps (they turn green by themselves, from the
 * server's checks), read the closing explanation with your own numbers, restart in one click.
 */
export function LabGuide() {
  const progress = useLabProgress();
  return (
    <aside className="lab-guide" aria-label="Lab guide">
      {progress ? <ActiveLab progress={progress} /> : <LabList />}
    </aside>
  );
}

function LabList() {
  const [labs, setLabs] = useState<LabSummary[]>();
  const notify = useNotify();
  useEffect(() => {
    listLabs().then(setLabs, (error: Error) => notify(`Labs: ${error.message}`, 'error'));
  }, [notify]);
  return (
    <>
      <h2>Guided labs</h2>
      <p className="lab-intro">
        Each lab turns one claim about event-driven design into an experiment on the real broker.
      </p>
      <ol className="lab-list">
        {labs?.map((lab) => (
          <li key={lab.id}>
            <h3>{lab.title}</h3>
            <p>{lab.claim}</p>
            <p className="lab-meta">
              {lab.steps} steps · about {lab.minutes} min
            </p>
            <button
              type="button"
              className="button primary"
              aria-label={`Start lab: ${lab.title}`}
              onClick={() => startLab(lab.id).catch((error: Error) => notify(`Start lab: ${error.message}`, 'error'))}
            >
              Start
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
  useEffect(() => {
    getLab(progress.labId).then(setLab, (error: Error) => notify(`Lab: ${error.message}`, 'error'));
  }, [progress.labId, notify]);
  const run = useCallback(
    (what: string, action: () => Promise<unknown>) =>
      action().catch((error: Error) => notify(`${what}: ${error.message}`, 'error')),
    [notify],
  );
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
          const state = step.done ? 'done' : index === progress.current ? 'current' : 'todo';
          return (
            <li
              key={step.id}
              className={`lab-step ${state}`}
              data-testid={`lab-step-${step.id}`}
              aria-current={state === 'current' ? 'step' : undefined}
            >
              <h3>
                <span className="lab-step-mark" aria-hidden="true">
                  {step.done ? <Icon name="check" size={12} /> : index + 1}
                </span>
                {step.title}
                {step.done && <span className="visually-hidden"> (done)</span>}
              </h3>
              {state === 'current' && text && (
                <>
                  <Markdown>{text.body}</Markdown>
                  {text.actions && (
                    <div className="lab-actions">
                      {text.actions.map((action) => (
                        <button
                          key={action.label}
                          type="button"
                          className="button primary"
                          onClick={() => run(action.label, () => labCommand(action.command as Command))}
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
                  <p className="lab-waiting">
                    <Icon name="waiting" /> Watching the live numbers for this step…
                  </p>
                </>
              )}
              {step.done && step.explanation && (
                <div className="lab-explain" data-testid={`lab-explain-${step.id}`}>
                  <Markdown>{step.explanation}</Markdown>
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

function ScenarioPlayer({
  progress,
  run,
}: {
  progress: LabProgress;
  run: (what: string, action: () => Promise<unknown>) => void;
}) {
  const { playing, elapsedMs, fired, total } = progress.scenario;
  return (
    <section className="lab-scenario" aria-label="Scenario for instructors">
      <h3>Scenario</h3>
      <p>
        t+{(elapsedMs / 1000).toFixed(0)} s · {fired} of {total} events
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
