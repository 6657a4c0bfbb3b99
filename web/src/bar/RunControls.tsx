import { useState } from 'react';
import { reset, run, stop } from '../api/lab';
import { Icon } from '../icons/Icon';
import { useNotify, useRunning } from '../store/selectors';

/** Run, Stop, Reset: plain requests; what they change shows in the next frames and the event log. */
export function RunControls() {
  const running = useRunning();
  const notify = useNotify();
  const [busy, setBusy] = useState<string>();
  const command = (name: string, call: () => Promise<unknown>) => async () => {
    setBusy(name);
    try {
      await call();
    } catch (error) {
      notify(`${name}: ${(error as Error).message}`, 'error');
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div className="button-group">
      <button
        type="button"
        className="button primary"
        disabled={busy !== undefined || running}
        onClick={command('Run', run)}
        title="Create the topics, start the services and sources"
      >
        <Icon name="play" /> Run
      </button>
      <button
        type="button"
        className="button"
        disabled={busy !== undefined || !running}
        onClick={command('Stop', stop)}
      >
        <Icon name="stop" /> Stop
      </button>
      <button
        type="button"
        className="button"
        disabled={busy !== undefined}
        onClick={command('Reset', reset)}
        title="Delete the lab's topics and consumer groups: start from empty logs"
      >
        <Icon name="restart" /> Reset
      </button>
    </div>
  );
}
