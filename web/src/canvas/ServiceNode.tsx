import { DEFAULTS, type InstanceLive } from '@lab/model';
import { Handle, type NodeProps, Position } from '@xyflow/react';
import { useNodeLive } from '../store/selectors';
import type { LabNode } from './flow';
import { fmtMs, fmtRate, fmtShare } from './format';
import { NodeLabel } from './NodeLabel';
import { ServiceActions } from './ServiceActions';
import { STATUS_WORD, StatusBadge } from './StatusIcon';

/** A service: a card with its name, one dot per instance, in/out rate and p99, and the faults to inject. */
export function ServiceNode({ id, data }: NodeProps<LabNode>) {
  const node = data.node.kind === 'service' ? data.node : undefined;
  const live = useNodeLive(id);
  if (!node) return null;
  const label = node.label ?? node.id;
  const planned = node.instances ?? DEFAULTS.service.instances;
  const status = live?.status ?? 'idle';
  // Before a run the dots are the planned replicas, all idle; then the live instances as the server sees them.
  const instances: InstanceLive[] =
    live?.instances ?? Array.from({ length: planned }, (_, i) => ({ id: `${id}-${i + 1}`, status: 'idle' }));

  return (
    <div className={`lab-node service-node status-${status}`} data-testid={`node-${id}`}>
      <Handle type="target" position={Position.Left} aria-label={`Link to ${label}`} />
      <div className="node-title">
        <svg className="kind-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <rect x="2" y="3" width="12" height="10" rx="2" fill="none" stroke="currentColor" strokeWidth="2" />
        </svg>
        <NodeLabel id={id} label={label} />
      </div>
      <div className="service-state">
        <StatusBadge status={status} />
        <ul className="instance-dots" aria-label={`${instances.length} instances`}>
          {instances.map((instance) => (
            <li
              key={instance.id}
              className={`instance-dot tone-${instance.status}`}
              title={`${instance.id}: ${STATUS_WORD[instance.status]}`}
              aria-label={`${instance.id}: ${STATUS_WORD[instance.status]}`}
            />
          ))}
        </ul>
      </div>
      {live && (
        <dl className="node-numbers">
          <div>
            <dt>in</dt>
            <dd>{fmtRate(live.inRate)}</dd>
            <dt>out</dt>
            <dd>{fmtRate(live.outRate)} ev/s</dd>
          </div>
          <div>
            <dt>p99</dt>
            <dd>{fmtMs(live.p99Ms)} ms</dd>
          </div>
        </dl>
      )}
      {live && live.errorRate > 0 && (
        <div className="node-errors tone-down">
          <span aria-hidden="true">✖ </span>
          {fmtShare(live.errorRate)} of inputs failing
        </div>
      )}
      <ServiceActions id={id} label={label} instances={live?.instances.length || planned} />
      <Handle type="source" position={Position.Right} aria-label={`Link from ${label}`} />
    </div>
  );
}
