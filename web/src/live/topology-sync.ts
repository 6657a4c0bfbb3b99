import { getTopology } from '../api/lab';
import { useLab } from '../store';

/**
 * When the server replaces the topology on its own (a lab starts, a lab step swaps one in), the snapshot's
 * topologyRevision grows: reload the document so the canvas shows what actually runs.
 */
export function followServerTopology(): () => void {
  let initialised = false;
  let seen: number | undefined;
  return useLab.subscribe((state) => {
    if (!state.snapshot) return;
    const revision = state.snapshot.topologyRevision;
    if (!initialised) {
      // The page loaded the topology itself on open: only later replacements matter.
      initialised = true;
      seen = revision;
      return;
    }
    if (revision === seen) return;
    seen = revision;
    // A replaced topology (a lab's, or the learner's own given back) is fitted in view: the node a step
    // names must be on screen.
    void getTopology().then((doc) => {
      useLab.getState().loadSaved(doc);
      useLab.getState().requestFit();
    });
  });
}
