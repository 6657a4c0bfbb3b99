import {
  Background,
  type Connection,
  Controls,
  type EdgeChange,
  MiniMap,
  type NodeChange,
  type OnConnectEnd,
  ReactFlow,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import { type DragEvent, useCallback, useEffect, useRef } from 'react';
import {
  readDoc,
  readPrediction,
  readSelection,
  useCanvasActions,
  useEditor,
  useFitRequest,
  useNodeCount,
  usePresenter,
  useReadOnly,
  useTheme,
} from '../store/selectors';
import type { Size } from '../store/ui';
import { addLink, addNode, moveNodes, removeItems } from '../topology/edits';
import type { NodeKind, Position } from '../topology/types';
import { CallArrowMarkers } from './CallEdge';
import { inferLink } from './connection';
import { EmptyCanvas } from './EmptyCanvas';
import { fitOptions, MINIMAP, someNodeOutOfView } from './fit';
import { type LabEdge, type LabNode, useFlowGraph } from './flow';
import { LabelPlaces } from './labelPlaces';
import { CanvasMarks } from './Marks';
import { PALETTE_MIME } from './Palette';
import { useShortcuts } from './shortcuts';
import { edgeTypes, nodeTypes } from './types';

const KINDS: readonly string[] = ['source', 'service', 'topic'];

/**
 * The topology canvas. React Flow draws what the store's document says; every change the user makes here
 * goes back into the document as an edit (and so into undo and the next save), never into React Flow alone.
 */
export function Canvas() {
  const { theme } = useTheme();
  const { presenter } = usePresenter();
  // Presenter mode and a replay show the topology without editing it.
  const readOnly = useReadOnly();
  const locked = presenter || readOnly;
  const { nodes, edges } = useFlowGraph();
  const { edit } = useEditor();
  const { select, setMeasured, notify } = useCanvasActions();
  const flow = useReactFlow();
  const drag = useRef(0);
  const nodeCount = useNodeCount();
  useShortcuts();

  // A whole topology (loaded, example, import, share link) arrives after React Flow's own initial fit, and
  // presenter mode (or a projector's resolution) changes the pane's width: each deserves a fresh fit. The
  // width is read from React Flow's store because it is measured after the layout change.
  const hasNodes = nodeCount > 0;
  const paneWidth = useStore((s) => s.width);
  const outOfView = useStore(someNodeOutOfView);
  const fitRequest = useFitRequest();
  // biome-ignore lint/correctness/useExhaustiveDependencies: fitRequest is the trigger, not an input
  useEffect(() => {
    if (!paneWidth) return;
    // Two frames: the new nodes must be measured before they can be fitted.
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(() => void flow.fitView(fitOptions(presenter)));
    });
    return () => cancelAnimationFrame(frame);
  }, [paneWidth, fitRequest, flow, presenter]);

  const onNodesChange = useCallback(
    (changes: NodeChange<LabNode>[]) => {
      const sizes = new Map<string, Size>();
      const moves = new Map<string, Position>();
      let selection: Set<string> | undefined;
      for (const change of changes) {
        if (change.type === 'dimensions' && change.dimensions) sizes.set(change.id, change.dimensions);
        if (change.type === 'position' && change.position) moves.set(change.id, change.position);
        if (change.type === 'select') {
          selection ??= new Set(readSelection().nodes);
          change.selected ? selection.add(change.id) : selection.delete(change.id);
        }
      }
      setMeasured(sizes);
      // One drag, however many frames it lasts, is one undo step.
      if (moves.size) edit((doc) => moveNodes(doc, moves), { coalesce: `drag-${drag.current}` });
      if (selection) select({ ...readSelection(), nodes: [...selection] });
    },
    [edit, select, setMeasured],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<LabEdge>[]) => {
      let selection: Set<string> | undefined;
      for (const change of changes) {
        if (change.type !== 'select') continue;
        selection ??= new Set(readSelection().links);
        change.selected ? selection.add(change.id) : selection.delete(change.id);
      }
      if (selection) select({ ...readSelection(), links: [...selection] });
    },
    [select],
  );

  const link = useCallback(
    (source: string, target: string) => {
      const inferred = inferLink(readDoc(), source, target);
      if (!inferred.ok) {
        notify(inferred.reason, 'error');
        return;
      }
      edit((doc) => addLink(doc, inferred.link).doc);
    },
    [edit, notify],
  );
  const onConnect = useCallback(({ source, target }: Connection) => link(source, target), [link]);
  // A line dropped on a node's body, or on a node with no handle there (a source takes no input), still
  // means "link these two": link them, or say why not. React Flow itself only reports drops on handles.
  const onConnectEnd = useCallback<OnConnectEnd>(
    (event, state) => {
      if (state.toHandle || !state.fromNode) return;
      const { clientX, clientY } = 'changedTouches' in event ? event.changedTouches[0]! : event;
      const over = document.elementFromPoint(clientX, clientY)?.closest<HTMLElement>('.react-flow__node');
      const other = over?.dataset.id;
      if (!other || other === state.fromNode.id) return;
      if (state.fromHandle?.type === 'target') link(other, state.fromNode.id);
      else link(state.fromNode.id, other);
    },
    [link],
  );

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(PALETTE_MIME);
      if (!KINDS.includes(kind)) return;
      event.preventDefault();
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      let id = '';
      edit((doc) => {
        // The pointer holds the node near its top-left corner, where the title is.
        const added = addNode(doc, kind as NodeKind, { x: at.x - 20, y: at.y - 16 });
        id = added.id;
        return added.doc;
      });
      select({ nodes: [id] });
    },
    [edit, flow, select],
  );

  return (
    <section className="canvas" aria-label="Topology canvas">
      <CallArrowMarkers />
      <LabelPlaces>
        <ReactFlow<LabNode, LabEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          onConnectEnd={onConnectEnd}
          onNodeClick={(_, clicked) => {
            // Predict-then-observe: while the learner marks a prediction, a click marks a node.
            const prediction = readPrediction();
            if (prediction.predicting) prediction.toggleMark(clicked.id);
          }}
          onNodeDragStart={() => {
            drag.current++;
          }}
          onDelete={({ nodes: gone, edges: cut }) =>
            edit((doc) => removeItems(doc, { nodes: gone.map((n) => n.id), links: cut.map((e) => e.id) }))
          }
          onDragOver={(event) => {
            if (event.dataTransfer.types.includes(PALETTE_MIME)) {
              event.preventDefault();
              event.dataTransfer.dropEffect = 'copy';
            }
          }}
          onDrop={onDrop}
          colorMode={theme}
          deleteKeyCode={locked ? null : ['Delete', 'Backspace']}
          multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
          zoomOnDoubleClick={false}
          nodesDraggable={!locked}
          nodesConnectable={!locked}
          fitView
          fitViewOptions={fitOptions(presenter)}
          minZoom={0.2}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={24} />
          {!presenter && hasNodes && outOfView && <MiniMap pannable zoomable ariaLabel="Minimap" style={MINIMAP} />}
          {!presenter && <Controls showInteractive={false} fitViewOptions={fitOptions(false)} />}
        </ReactFlow>
      </LabelPlaces>
      <EmptyCanvas />
      <CanvasMarks />
    </section>
  );
}
