import { useReactFlow } from '@xyflow/react';
import { useCanvasActions, useEditor } from '../store/selectors';
import { addNode } from '../topology/edits';
import type { NodeKind } from '../topology/types';

/** The drag payload's type: only drops from this palette add nodes. */
export const PALETTE_MIME = 'application/x-lab-node';

const ITEMS: { kind: NodeKind; name: string; hint: string }[] = [
  { kind: 'source', name: 'Source', hint: 'makes events or requests at a rate' },
  { kind: 'service', name: 'Service', hint: 'handles events and calls; has instances' },
  { kind: 'topic', name: 'Topic', hint: 'a Kafka log with partitions' },
];

/** Drag an item onto the canvas; or press Enter on it to place it in the middle of the view (keyboard). */
export function Palette() {
  const { edit } = useEditor();
  const { select } = useCanvasActions();
  const flow = useReactFlow();

  const addAtCentre = (kind: NodeKind) => {
    const pane = document.querySelector('.canvas')?.getBoundingClientRect();
    if (!pane) return;
    const at = flow.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 });
    let id = '';
    edit((doc) => {
      const added = addNode(doc, kind, { x: at.x - 90, y: at.y - 40 });
      id = added.id;
      return added.doc;
    });
    select({ nodes: [id] });
  };

  return (
    <nav className="palette" aria-label="Palette">
      <h2>Add</h2>
      {ITEMS.map((item) => (
        <button
          key={item.kind}
          type="button"
          className={`palette-item ${item.kind}`}
          aria-label={item.name}
          title={`${item.name}: ${item.hint}`}
          draggable
          onDragStart={(e) => {
            e.dataTransfer.setData(PALETTE_MIME, item.kind);
            e.dataTransfer.effectAllowed = 'copy';
          }}
          onClick={() => addAtCentre(item.kind)}
        >
          <span className="palette-name">{item.name}</span>
        </button>
      ))}
      <p className="palette-tip">
        Drag onto the canvas, then drag from a node's right handle to another node to link them.
      </p>
    </nav>
  );
}
