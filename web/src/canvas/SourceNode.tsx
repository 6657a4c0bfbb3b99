import { DEFAULTS } from '@lab/model';
import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import { nodeAction } from '../api/lab';
import { useNotify, useReadOnly, useSourceLive } from '../store/selectors';
import { CompactNode } from './CompactNode';
import type { LabNode } from './flow';
import { NodeLabel } from './NodeLabel';
import { RateSlider } from './RateSlider';
import { useDetail } from './useDetail';

/** A source: a compact pill with its rate and a slider to change it. */
export const SourceNode = memo(function SourceNode({ id, data }: NodeProps<LabNode>) {
  const node = data.node.kind === 'source' ? data.node : undefined;
  const detail = useDetail();
  const readOnly = useReadOnly();
  const live = useSourceLive(id, detail);
  const notify = useNotify();
  if (!node) return null;
  const label = node.label ?? node.id;
  if (detail === 'compact') return <CompactNode id={id} label={label} kind="source" className="source-node" />;
  const planned = node.ratePerSec ?? DEFAULTS.source.ratePerSec;
  return (
    <div className="lab-node source-node" data-testid={`node-${id}`}>
      <div className="node-title">
        <svg className="kind-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <path d="M2 8h9M8 4l4 4-4 4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
        <NodeLabel id={id} label={label} />
      </div>
      {live.outRate !== undefined && (
        <div className="node-metrics" title="events sent per second, measured">
          sending {live.outRate} ev/s
        </div>
      )}
      {!readOnly && <RateSlider id={id} label={label} planned={planned} live={live.targetRate} />}
      {!readOnly && live.outRate !== undefined && (
        <button
          type="button"
          className="poison-button nodrag"
          title="Send one event no service can process: see what each failure policy does with it"
          onClick={() =>
            nodeAction(id, 'poison').catch((error: Error) => notify(`Poison pill: ${error.message}`, 'error'))
          }
        >
          Send a poison pill
        </button>
      )}
      <Handle type="source" position={Position.Right} />
    </div>
  );
});
