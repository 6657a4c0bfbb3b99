import { useReactFlow } from '@xyflow/react';
import { useEffect } from 'react';
import { readDoc, readSelection, useCanvasActions, useEditor, usePresenter, useRenaming } from '../store/selectors';
import { duplicateNodes } from '../topology/edits';
import { fitOptions } from './fit';

/** The canvas's keys (React Flow itself handles Delete/Backspace, arrows and Tab). */
export const SHORTCUTS: [keys: string, does: string][] = [
  ['Ctrl/⌘ Z', 'undo'],
  ['Ctrl/⌘ Shift Z', 'redo'],
  ['Ctrl/⌘ A', 'select every node and link'],
  ['Ctrl/⌘ D', 'duplicate the selection'],
  ['Delete', 'delete the selection'],
  ['F2', 'rename the selected node'],
  ['F', 'fit the topology in view'],
  ['Esc', 'leave presenter mode'],
];

export function useShortcuts() {
  const { undo, redo, edit } = useEditor();
  const { select } = useCanvasActions();
  const { setRenaming } = useRenaming();
  const { presenter, togglePresenter } = usePresenter();
  const flow = useReactFlow();

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return; // text fields keep their own undo and letters
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (e.key === 'Escape' && presenter) togglePresenter();
      else if (presenter) return;
      else if (mod && key === 'z') e.shiftKey ? redo() : undo();
      else if (mod && key === 'y') redo();
      else if (mod && key === 'a') {
        // The canvas's "everything", not the page's text.
        const doc = readDoc();
        select({ nodes: doc.nodes.map((n) => n.id), links: doc.links.map((l) => l.id) });
      } else if (mod && key === 'd') {
        const ids = readSelection().nodes;
        if (!ids.length) return;
        let copies: string[] = [];
        edit((doc) => {
          const result = duplicateNodes(doc, ids);
          copies = result.ids;
          return result.doc;
        });
        select({ nodes: copies });
      } else if (e.key === 'F2') {
        const [only, ...more] = readSelection().nodes;
        if (only && !more.length) setRenaming(only);
      } else if (key === 'f' && !mod && !e.altKey) void flow.fitView({ ...fitOptions(presenter), duration: 300 });
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo, edit, select, setRenaming, presenter, togglePresenter, flow]);
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
