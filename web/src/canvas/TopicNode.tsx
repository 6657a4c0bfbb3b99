import { DEFAULTS } from '@lab/model';
import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo, useMemo } from 'react';
import type { Lane } from '../geometry/lanes';
import { useTopicLanes } from '../store/selectors';
import { CompactNode } from './CompactNode';
import type { LabNode } from './flow';
import { NodeLabel } from './NodeLabel';
import { useDetail } from './useDetail';

/**
 * A topic drawn as what it is, an append-only log: one lane per partition, filled to its end offset (relative
 * to the fullest lane), with a tick where each consumer group has committed. The gap is the lag.
 */
export const TopicNode = memo(function TopicNode({ id, data }: NodeProps<LabNode>) {
  const node = data.node.kind === 'topic' ? data.node : undefined;
  const partitions = node?.partitions ?? DEFAULTS.topic.partitions;
  const detail = useDetail();
  const lanesKey = useTopicLanes(id, partitions, detail);
  const lanes = useMemo(() => JSON.parse(lanesKey) as Lane[], [lanesKey]);
  if (!node) return null;
  const label = node.label ?? node.id;
  if (detail === 'compact') return <CompactNode id={id} label={label} kind="topic" className="topic-node" />;

  return (
    <div className="lab-node topic-node" data-testid={`node-${id}`}>
      <Handle type="target" position={Position.Left} />
      <div className="node-title">
        <svg className="kind-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <g fill="currentColor">
            <rect x="1" y="2" width="14" height="3" rx="1" />
            <rect x="1" y="6.5" width="10" height="3" rx="1" />
            <rect x="1" y="11" width="12" height="3" rx="1" />
          </g>
        </svg>
        <NodeLabel id={id} label={label} />
      </div>
      <ol className="partition-lanes" aria-label={`${lanes.length} partitions`}>
        {lanes.map((lane, p) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a partition is its index
          <li key={p} className="lane" aria-label={`partition ${p}: end offset ${lane.end}`}>
            <span className="lane-name" aria-hidden="true">
              P{p}
            </span>
            <span className="lane-track" aria-hidden="true">
              <span className="lane-fill" style={{ width: `${lane.fill}%` }} />
              {lane.commits.map(([group, committed, left]) => (
                <span
                  key={group}
                  className="lane-commit"
                  title={`${group} committed ${committed}`}
                  style={{ left: `${left}%` }}
                />
              ))}
            </span>
            <span className="lane-offset" aria-hidden="true">
              {lane.shown}
            </span>
          </li>
        ))}
      </ol>
      <Handle type="source" position={Position.Right} />
    </div>
  );
});
