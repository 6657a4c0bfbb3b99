import { memo, useState } from 'react';
import { useEditor, usePresenter, useRenaming } from '../store/selectors';
import { updateNode } from '../topology/edits';

/** A node's name; double-click (or F2 on a selected node) edits it in place. Enter keeps, Escape cancels. */
export const NodeLabel = memo(function NodeLabel({ id, label }: { id: string; label: string }) {
  const { renaming, setRenaming } = useRenaming();
  const { presenter } = usePresenter();
  const { edit } = useEditor();
  const [draft, setDraft] = useState(label);

  if (renaming !== id) {
    return (
      // biome-ignore lint/a11y/noStaticElementInteractions: the keyboard way to rename is F2 on the selected node
      <span
        className="node-label"
        title={presenter ? label : `${label} (double-click to rename)`}
        onDoubleClick={() => {
          if (presenter) return;
          setDraft(label);
          setRenaming(id);
        }}
      >
        {label}
      </span>
    );
  }
  const done = (keep: boolean) => {
    const text = draft.trim();
    if (keep && text && text !== label) edit((doc) => updateNode(doc, id, { label: text }));
    setRenaming(undefined);
  };
  return (
    <input
      className="node-label-input nodrag"
      aria-label={`Name of ${label}`}
      value={draft}
      maxLength={80}
      // biome-ignore lint/a11y/noAutofocus: the user just asked to type here
      autoFocus
      onFocus={(e) => e.currentTarget.select()}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => done(true)}
      onKeyDown={(e) => {
        e.stopPropagation(); // Backspace here edits the name, it must not delete the node
        if (e.key === 'Enter') done(true);
        if (e.key === 'Escape') done(false);
      }}
    />
  );
});
