import { type FormEvent, type InputHTMLAttributes, useEffect, useState } from 'react';
import { joinRoom, mySelf } from './api';

/**
 * `/join`: an attendee enters the room code (prefilled from the join URL) and a display name, and is taken
 * to their own workspace. A browser already in the room is offered its workspace back.
 */
export function JoinPage() {
  const [code, setCode] = useState(() => new URLSearchParams(location.search).get('code') ?? '');
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [already, setAlready] = useState<{ name: string; workspace: string }>();
  useEffect(() => {
    mySelf().then(
      (self) => setAlready({ name: self.name, workspace: self.workspace }),
      () => setAlready(undefined),
    );
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const joined = await joinRoom(code, name);
      location.assign(joined.url);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <main className="classroom-page join-page">
      <h1>Join the Kafka lab</h1>
      {already ? (
        <p className="join-already">
          You are in this room as <strong>{already.name}</strong>.{' '}
          <a className="button primary" href={already.workspace}>
            Back to your lab
          </a>
        </p>
      ) : (
        <form onSubmit={(e) => void submit(e)} className="join-form">
          <JoinField label="Room code" name="code" value={code} onValue={setCode} autoComplete="off" maxLength={20} />
          <JoinField
            label="Your name, as the instructor will see it"
            name="name"
            value={name}
            onValue={setName}
            autoComplete="nickname"
            maxLength={40}
          />
          {error && (
            <p className="join-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Joining…' : 'Join'}
          </button>
        </form>
      )}
    </main>
  );
}

/** One required field of the join form: its label wraps the input, so the words name it. */
function JoinField({
  label,
  onValue,
  ...input
}: { label: string; onValue: (value: string) => void } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label>
      {label}
      <input {...input} onChange={(e) => onValue(e.target.value)} required />
    </label>
  );
}
