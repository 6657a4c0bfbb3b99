import { validateTopology } from '@lab/model';
import { useLab } from '../store';
import { ApiError } from './http';
import { getTopology, putTopology } from './lab';

/** Long enough that typing a name or dragging a node makes one request, short enough to feel saved. */
const SAVE_DELAY_MS = 600;

/**
 * Keeps the server's copy of the topology in step with the store: loads it once, then PUTs the document
 * after each pause in editing. One request at a time: an edit made while a save is in flight is saved
 * right after it, so the server always ends with the newest document.
 */
export function startAutosave(onLoaded: () => Promise<void> | void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = false;
  let savedRevision = 0;

  const saveNow = async () => {
    const { doc, revision, setSave } = useLab.getState();
    if (revision === savedRevision) return;
    const check = validateTopology(doc);
    if (!check.ok) {
      // The server would refuse it too: say why here, beside the field, and keep the last good copy there.
      const first = check.problems[0]!;
      setSave({ status: 'invalid', error: first.error, path: first.path });
      savedRevision = revision;
      return;
    }
    inFlight = true;
    setSave({ status: 'saving' });
    try {
      await putTopology(doc);
      savedRevision = revision;
      if (useLab.getState().revision === revision) setSave({ status: 'saved' });
    } catch (error) {
      savedRevision = revision;
      const { message, path } = error instanceof ApiError ? error : new ApiError(String(error), 0);
      setSave({ status: 'failed', error: message, path });
      // The top bar has room for a word; the whole reason goes in a toast too.
      useLab.getState().notify(`Not saved: ${message}`, 'error');
    } finally {
      inFlight = false;
      if (useLab.getState().revision !== savedRevision) schedule();
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    useLab.getState().setSave({ status: 'pending' });
    timer = setTimeout(() => {
      if (!inFlight) void saveNow();
    }, SAVE_DELAY_MS);
  };

  const unsubscribe = useLab.subscribe((state, before) => {
    if (state.revision !== before.revision) schedule();
  });

  void (async () => {
    try {
      useLab.getState().loadSaved(await getTopology());
      useLab.getState().requestFit();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const reason = `Could not load the saved topology: ${message}`;
      useLab.getState().setSave({ status: 'failed', error: reason });
      useLab.getState().notify(reason, 'error');
    }
    await onLoaded();
  })();

  return () => {
    unsubscribe();
    clearTimeout(timer);
  };
}
