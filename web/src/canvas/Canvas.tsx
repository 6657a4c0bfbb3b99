import { Background, Controls, MiniMap, ReactFlow } from '@xyflow/react';
import { useTheme } from '../store/selectors';

/** The topology canvas. Node and edge types live outside components (React Flow re-mounts them otherwise). */
export function Canvas() {
  const { theme } = useTheme();
  return (
    <section className="canvas" aria-label="Topology canvas">
      <ReactFlow nodes={[]} edges={[]} colorMode={theme} fitView proOptions={{ hideAttribution: true }}>
        <Background gap={24} />
        <MiniMap pannable zoomable />
        <Controls />
      </ReactFlow>
      <div className="canvas-empty">
        <h2>Your topology goes here</h2>
        <p>Sources, services and topics drawn here run on a real Kafka broker.</p>
      </div>
    </section>
  );
}
