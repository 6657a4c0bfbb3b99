import { useLab } from '../store';
import { checkTopology } from './file';
import { decodeShare, sharedPayload } from './share';

/**
 * Opening a share link replaces the topology with the one in the link (one undo step, then saved like any
 * edit). The hash is removed afterwards, so reloading the page does not undo later edits.
 */
export async function openSharedLink(): Promise<void> {
  const payload = sharedPayload(location.hash);
  if (!payload) return;
  history.replaceState(null, '', location.pathname + location.search);
  const { edit, notify, requestFit } = useLab.getState();
  try {
    const checked = checkTopology(await decodeShare(payload));
    if (!checked.ok) {
      notify(`The shared topology was not loaded: ${checked.problems[0]!.error}`, 'error');
      return;
    }
    edit(() => checked.doc);
    requestFit();
    notify(`Loaded the shared topology "${checked.doc.name}"`);
  } catch {
    notify('The share link is damaged (cut short when copied?): nothing was loaded.', 'error');
  }
}
