import { readDoc, useCanvasActions, useDocName, useSave } from '../store/selectors';

/** Whether the server has the document: quietly when it does, clearly (with the field) when it does not. */
export function SaveStatus() {
  const save = useSave();
  const name = useDocName();
  const { select } = useCanvasActions();
  const problem = save.status === 'invalid' || save.status === 'failed' ? save : undefined;
  const word = {
    loading: 'Loading…',
    pending: 'Edited',
    saving: 'Saving…',
    saved: 'Saved',
    invalid: 'Not saved',
    failed: 'Not saved',
  }[save.status];

  // A path like nodes.2.partitions names an item: offer to select it so the inspector shows the field.
  const target = problem?.path ? itemAt(problem.path) : undefined;
  return (
    <div className={`save-status${problem ? ' tone-down' : ''}`} role="status" data-testid="save-status">
      <span className="doc-name">{name}</span>
      <span className="save-word">
        {problem ? (
          <span aria-hidden="true">⚠ </span>
        ) : save.status === 'saved' ? (
          <span aria-hidden="true">✓ </span>
        ) : null}
        {word}
        {problem && `: ${problem.error}`}
      </span>
      {target && (
        <button type="button" className="button small" onClick={() => select(target)}>
          Show
        </button>
      )}
    </div>
  );
}

function itemAt(path: string): { nodes?: string[]; links?: string[] } | undefined {
  const [group, index] = path.split('.');
  const doc = readDoc();
  if (group === 'nodes') {
    const id = doc.nodes[Number(index)]?.id;
    return id ? { nodes: [id] } : undefined;
  }
  if (group === 'links') {
    const id = doc.links[Number(index)]?.id;
    return id ? { links: [id] } : undefined;
  }
  return undefined;
}
