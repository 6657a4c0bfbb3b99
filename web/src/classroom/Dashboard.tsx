import {
  type AttendeeRow,
  type ClassroomState,
  type Command,
  DASHBOARD_POLL_MS,
  type EveryoneResult,
  type Lab,
} from '@lab/model';
import { useCallback, useEffect, useState } from 'react';
import { getLab, type LabSummary, listLabs } from '../api/labs';
import {
  broadcast,
  commandForEveryone,
  removeAttendee,
  resetAttendee,
  roomState,
  scenarioForEveryone,
  sendHint,
  startForEveryone,
} from './api';
import { ClassSummaryView } from './ClassSummary';

/**
 * `/classroom`, the instructor's page (readable on a projector at 1280×720): the room's code and join URL, a
 * card per attendee, the room's progress per step, the controls that steer every attendee's lab at once,
 * and the class summary.
 */
export function Dashboard() {
  const [state, setState] = useState<ClassroomState>();
  const [error, setError] = useState<string>();
  const [view, setView] = useState<'room' | 'summary'>('room');
  const [outcome, setOutcome] = useState<string>();

  const refresh = useCallback(async () => {
    try {
      setState(await roomState());
      setError(undefined);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }, []);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const loop = async () => {
      await refresh();
      if (!stopped) timer = setTimeout(() => void loop(), DASHBOARD_POLL_MS);
    };
    void loop();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [refresh]);

  /** Runs an instructor action and says what happened, attendee by attendee when some failed. */
  const act = useCallback(
    async (what: string, action: () => Promise<unknown>) => {
      try {
        const answer = await action();
        const failed = (answer as Partial<EveryoneResult>)?.results?.filter((r) => !r.ok) ?? [];
        const total = (answer as Partial<EveryoneResult>)?.results?.length;
        setOutcome(
          failed.length
            ? `${what}: failed for ${failed.map((f) => `${f.name} (${f.error})`).join('; ')}`
            : `${what}: done${total !== undefined ? ` for ${total} attendee${total === 1 ? '' : 's'}` : ''}`,
        );
      } catch (err) {
        setOutcome(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      }
      await refresh();
    },
    [refresh],
  );

  return (
    <main className="classroom-page dashboard">
      <header className="dash-header">
        <h1>Classroom</h1>
        {state && (
          <p className="dash-join">
            Room code <strong data-testid="room-code">{state.code}</strong>
            <span className="dash-url">{state.joinUrls[0]}</span>
            <span>
              {state.attendees.length}/{state.maxAttendees} attendees
            </span>
          </p>
        )}
        <div className="dash-tabs" role="tablist" aria-label="Dashboard">
          <button type="button" role="tab" aria-selected={view === 'room'} onClick={() => setView('room')}>
            Room
          </button>
          <button type="button" role="tab" aria-selected={view === 'summary'} onClick={() => setView('summary')}>
            Class summary
          </button>
        </div>
      </header>
      {error && (
        <p className="dash-error" role="alert">
          {error}
        </p>
      )}
      {view === 'summary' ? (
        <ClassSummaryView />
      ) : (
        state && (
          <>
            <Steering state={state} act={act} />
            {outcome && (
              <p className="dash-outcome" role="status">
                {outcome}
              </p>
            )}
            <RoomProgressView state={state} />
            <section className="dash-grid" aria-label="Attendees">
              {state.attendees.length === 0 && <p className="dash-empty">Nobody has joined yet.</p>}
              {state.attendees.map((a) => (
                <AttendeeCard key={a.id} attendee={a} state={state} act={act} />
              ))}
            </section>
          </>
        )
      )}
    </main>
  );
}

type Act = (what: string, action: () => Promise<unknown>) => Promise<void>;

/** Steering the whole room: start a lab, run its commands (a crash now, for everyone), the scenario, a message. */
function Steering({ state, act }: { state: ClassroomState; act: Act }) {
  const [labs, setLabs] = useState<LabSummary[]>([]);
  const [chosen, setChosen] = useState('');
  const [message, setMessage] = useState('');
  const inUse = state.progress[0]?.labId;
  const [definition, setDefinition] = useState<Lab>();
  useEffect(() => {
    listLabs().then((list) => {
      setLabs(list);
      setChosen((c) => c || list[0]?.id || '');
    });
  }, []);
  useEffect(() => {
    if (inUse) getLab(inUse).then(setDefinition);
    else setDefinition(undefined);
  }, [inUse]);
  // The lab's own step buttons (crash Payments, slow the scorer…), each once: the commands the room shares.
  const commands = new Map<string, Command>();
  for (const step of definition?.steps ?? []) for (const a of step.actions ?? []) commands.set(a.label, a.command);

  return (
    <section className="dash-steer" aria-label="Steer the room">
      <div className="dash-row">
        <select aria-label="Lab to start" value={chosen} onChange={(e) => setChosen(e.target.value)}>
          {labs.map((l) => (
            <option key={l.id} value={l.id}>
              {l.title}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button primary"
          disabled={!chosen}
          onClick={() => void act('Start the lab for everyone', () => startForEveryone(chosen))}
        >
          Start for everyone
        </button>
        <button
          type="button"
          className="button"
          onClick={() => void act('Run for everyone', () => commandForEveryone({ run: true }))}
        >
          Run all
        </button>
        <button
          type="button"
          className="button"
          onClick={() => void act('Stop for everyone', () => commandForEveryone({ stop: true }))}
        >
          Stop all
        </button>
        {definition?.scenario?.length ? (
          <>
            <button
              type="button"
              className="button"
              onClick={() => void act('Play the scenario for everyone', () => scenarioForEveryone('play'))}
            >
              Play scenario
            </button>
            <button
              type="button"
              className="button"
              onClick={() => void act('Pause the scenario for everyone', () => scenarioForEveryone('pause'))}
            >
              Pause
            </button>
          </>
        ) : null}
      </div>
      {commands.size > 0 && (
        <div className="dash-row">
          <span className="dash-label">For everyone, now:</span>
          {[...commands].map(([label, command]) => (
            <button
              key={label}
              type="button"
              className="button danger"
              onClick={() => void act(label, () => commandForEveryone(command))}
            >
              {label}
            </button>
          ))}
        </div>
      )}
      <form
        className="dash-row"
        onSubmit={(e) => {
          e.preventDefault();
          void act('Message sent', () => broadcast(message)).then(() => setMessage(''));
        }}
      >
        <input
          aria-label="Message to everyone"
          placeholder="A message to every attendee"
          value={message}
          maxLength={500}
          onChange={(e) => setMessage(e.target.value)}
        />
        <button type="submit" className="button" disabled={!message.trim()}>
          Send to all
        </button>
      </form>
    </section>
  );
}

function RoomProgressView({ state }: { state: ClassroomState }) {
  if (state.progress.length === 0) return null;
  return (
    <section className="dash-progress" aria-label="The room's progress">
      {state.progress.map((lab) => (
        <div key={lab.labId} className="dash-progress-lab">
          <h2>
            {lab.title} <span className="dash-muted">· {lab.attendees} attendees</span>
          </h2>
          <ol>
            {lab.steps.map((s, i) => (
              <li key={s.title} title={s.title}>
                <span className="dash-step-no">{i + 1}</span>
                <span className="dash-bar" aria-hidden="true">
                  <span className="done" style={{ width: `${(100 * s.done) / lab.attendees}%` }} />
                  <span className="working" style={{ width: `${(100 * s.working) / lab.attendees}%` }} />
                </span>
                <span className="dash-step-count">
                  {s.done} done{s.working ? ` · ${s.working} on it` : ''}
                </span>
              </li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}

const minutesSeconds = (ms: number) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

function AttendeeCard({ attendee: a, state, act }: { attendee: AttendeeRow; state: ClassroomState; act: Act }) {
  const [hint, setHint] = useState<string>();
  const lab = a.lab;
  const onStep = lab?.stepStartedAt !== undefined ? state.now - lab.stepStartedAt : undefined;
  const complete = lab !== undefined && lab.current >= lab.steps;
  // Stuck: not green, some condition still unmet (all met is only the step's minimum time running), and long.
  const waiting = lab !== undefined && !lab.passed && (lab.conditions === 0 || lab.met < lab.conditions);
  const stuck = !complete && waiting && onStep !== undefined && onStep > state.stuckMinutes * 60_000;
  const classes = ['dash-card', a.helpSince !== undefined && 'help', stuck && 'stuck', lab?.passed && 'passed']
    .filter(Boolean)
    .join(' ');
  return (
    <article className={classes} aria-label={a.name} data-testid="attendee-card">
      <header>
        <h3>{a.name}</h3>
        {a.helpSince !== undefined && <span className="dash-badge help">Needs help</span>}
        {stuck && <span className="dash-badge stuck">Stuck</span>}
        {!a.online && <span className="dash-badge offline">Offline</span>}
      </header>
      {lab ? (
        <p className="dash-where" data-testid="attendee-step">
          {complete ? (
            <>{lab.title}: complete</>
          ) : (
            <>
              Step {lab.current + 1}/{lab.steps} · {lab.stepTitle}
            </>
          )}
        </p>
      ) : (
        <p className="dash-where dash-muted">No lab open</p>
      )}
      {lab && !complete && (
        <p className="dash-facts">
          <span className={lab.passed ? 'ok' : ''} data-testid="attendee-conditions">
            {lab.passed ? 'Green' : `${lab.met}/${lab.conditions} conditions`}
          </span>
          {onStep !== undefined && <span>{minutesSeconds(onStep)} on step</span>}
        </p>
      )}
      <p className="dash-live" data-testid="attendee-live">
        {a.live.running ? (
          <>
            {a.live.eventsPerSec} ev/s · {Math.round(a.live.errorRate * 100)}% errors · lag {a.live.lag}
          </>
        ) : (
          <span className="dash-muted">Not running</span>
        )}
      </p>
      <div className="dash-actions">
        <a
          className="button small"
          href={`/w/${a.id}/?spotlight=${encodeURIComponent(a.name)}`}
          target="_blank"
          rel="noopener"
        >
          Spotlight
        </a>
        <button type="button" className="button small" onClick={() => setHint(hint === undefined ? '' : undefined)}>
          Hint
        </button>
        <button
          type="button"
          className="button small"
          disabled={!lab}
          onClick={() => void act(`Reset ${a.name}'s lab`, () => resetAttendee(a.id))}
        >
          Reset
        </button>
        <button
          type="button"
          className="button small ghost"
          onClick={() => {
            if (confirm(`Remove ${a.name}? Their workspace is deleted and their browser signed out.`))
              void act(`Remove ${a.name}`, () => removeAttendee(a.id));
          }}
        >
          Remove
        </button>
      </div>
      {hint !== undefined && (
        <form
          className="dash-hint"
          onSubmit={(e) => {
            e.preventDefault();
            void act(`Hint to ${a.name}`, () => sendHint(a.id, hint)).then(() => setHint(undefined));
          }}
        >
          <input
            aria-label={`Hint to ${a.name}`}
            value={hint}
            maxLength={500}
            onChange={(e) => setHint(e.target.value)}
          />
          <button type="submit" className="button small primary" disabled={!hint.trim()}>
            Send
          </button>
        </form>
      )}
    </article>
  );
}
