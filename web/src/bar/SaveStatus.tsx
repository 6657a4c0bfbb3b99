import { Icon } from '../icons/Icon';
import { readDoc, useCanvasActions, useDocName, useSave } from '../store/selectors';
import { describeProblem } from '../topology/problems';

const WORD = {
  loading: 'Loading…',
  pending: 'Edited',
  saving: 'Saving…',
  saved: 'Saved',
  invalid: 'Not saved',
  failed: 'Not saved',
} as const;

/** Whether the server has the document, in one word in the top bar. */
export function SaveStatus() {
  const save = useSave();
  const name = useDocName();
  const failed = save.status === 'invalid' || save.status === 'failed';
  return (
    <div className={`save-status${failed ? ' tone-down' : ''}`} role="status" data-testid="save-status">
      <span className="save-word" title={`"${name}": ${WORD[save.status].toLowerCase()}`}>
        {failed ? <Icon name="warning" /> : save.status === 'saved' && <Icon name="check" />}
        {WORD[save.status]}
      </span>
    </div>
  );
}

/**
 * Why the document is not saved, across the whole width under the top bar: the browser's own check
 * (nothing was sent) or the server's { error, path }. A path naming a node or link offers to select it,
 * so the inspector shows the field.
 */
export function SaveProblem() {
  const save = useSave();
  const { select } = useCanvasActions();
  if (save.status !== 'invalid' && save.status !== 'failed') return null;
  const target = save.path ? itemAt(save.path) : undefined;
  return (
    <div className="save-problem" role="alert">
      <Icon name="warning" />
      <span className="save-problem-text">
        {save.status === 'invalid' ? 'Not saved (the server would refuse it): ' : 'Not saved: '}
        {describeProblem(readDoc(), save.error)}
      </span>
      {target && (
        <button type="button" className="button small" onClick={() => select(target)}>
          Show the field
        </button>
      )}
    </div>
  );
}

function itemAt(path: string): { nodes?: string[]; links?: string[] } | undefined {
  const [group, index] = path.split('.');
  const doc = readDoc();
  const id =
    group === 'nodes' ? doc.nodes[Number(index)]?.id : group === 'links' ? doc.links[Number(index)]?.id : undefined;
  if (!id) return undefined;
  return group === 'nodes' ? { nodes: [id] } : { links: [id] };
}
