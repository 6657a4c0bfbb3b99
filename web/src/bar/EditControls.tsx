import { Icon } from '../icons/Icon';
import { readMeasured, useEditor, useHistory, useNodeCount, useRequestFit } from '../store/selectors';
import { moveNodes } from '../topology/edits';
import { autoLayout } from '../topology/layout';

/** Undo, redo and auto-layout: edits of the whole document. */
export function EditControls() {
  const { undo, redo, edit } = useEditor();
  const { canUndo, canRedo } = useHistory();
  const requestFit = useRequestFit();
  const nodeCount = useNodeCount();
  return (
    <div className="button-group">
      <button
        type="button"
        className="button"
        onClick={undo}
        disabled={!canUndo}
        aria-label="Undo"
        title="Undo (Ctrl/⌘ Z)"
      >
        <Icon name="undo" />
      </button>
      <button
        type="button"
        className="button"
        onClick={redo}
        disabled={!canRedo}
        aria-label="Redo"
        title="Redo (Ctrl/⌘ Shift Z)"
      >
        <Icon name="redo" />
      </button>
      <button
        type="button"
        className="button"
        disabled={nodeCount === 0}
        onClick={() => {
          edit((doc) => moveNodes(doc, autoLayout(doc, readMeasured())));
          requestFit();
        }}
        title="Arrange the nodes left to right, following the links"
      >
        Auto-layout
      </button>
    </div>
  );
}
