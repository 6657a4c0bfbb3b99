import { type Behavior, DEFAULTS, type InstanceLive } from '@lab/model';
import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { useReadOnly, useServiceLive } from '../store/selectors';
import { CompactNode } from './CompactNode';
import type { LabNode } from './flow';
import { NodeLabel } from './NodeLabel';
import { ServiceActions } from './ServiceActions';
import { STATUS_WORD, StatusBadge, StatusIcon } from './StatusIcon';
import { useDetail } from './useDetail';

type Shown = InstanceLive & { spare: boolean };
const instanceWords = (i: Shown) => `${i.id}: ${STATUS_WORD[i.status]}${i.spare ? ', spare (owns no partition)' : ''}`;

/** A service: a card with its name, one dot per instance, in/out rate and p99, and the faults to inject. */
export const ServiceNode = memo(function ServiceNode({ id, data }: NodeProps<LabNode>) {
  const node = data.node.kind === 'service' ? data.node : undefined;
  const detail = useDetail();
  const readOnly = useReadOnly();
  const live = useServiceLive(id, detail);
  const liveInstances = live.live && !live.compact ? live.instances : undefined;
  const planned = node?.instances ?? DEFAULTS.service.instances;
  // Before a run the dots are the planned replicas, all idle; then the live instances as the server sees them.
  const instances = useMemo(
    (): Shown[] =>
      liveInstances === undefined
        ? Array.from({ length: planned }, (_, i) => ({ id: `${id}-${i + 1}`, status: 'idle', spare: false }))
        : liveInstances
          ? liveInstances.split('\n').map((line) => {
              const [instanceId, status, spare] = line.split('\t') as [string, InstanceLive['status'], string];
              return { id: instanceId, status, spare: spare === 'spare' };
            })
          : [],
    [liveInstances, planned, id],
  );
  if (!node) return null;
  const label = node.label ?? node.id;
  const status = live.live ? live.status : 'idle';
  if (detail === 'compact') {
    return (
      <CompactNode id={id} label={label} kind="service" className={`service-node status-${status}`}>
        <StatusIcon status={status} size={24} />
        <span className="visually-hidden">{STATUS_WORD[status]}</span>
      </CompactNode>
    );
  }

  return (
    <div className={`lab-node service-node status-${status}`} data-testid={`node-${id}`}>
      <Handle type="target" position={Position.Left} />
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
              className={`instance-dot tone-${instance.status}${instance.spare ? ' spare' : ''}`}
              title={instanceWords(instance)}
            >
              <span className="visually-hidden">{instanceWords(instance)}</span>
            </li>
          ))}
        </ul>
      </div>
      {live.live && !live.compact && (
        <dl className="node-numbers">
          <div>
            <dt>in</dt>
            <dd>{live.inRate}</dd>
            <dt>out</dt>
            <dd>{live.outRate} ev/s</dd>
          </div>
          <div>
            <dt>p99</dt>
            <dd>{live.p99} ms</dd>
          </div>
        </dl>
      )}
      {node.behavior && node.behavior.kind !== 'forward' && (
        <p className="node-behavior" data-testid={`behavior-${id}`}>
          {describeBehavior(node.behavior)}
          {live.live && live.behavior && <span className="behavior-numbers"> · {live.behavior}</span>}
        </p>
      )}
      {node.api && (
        <p
          className="node-behavior"
          data-testid={`api-${id}`}
          title="the version of its REST API it answers calls with (its latest)"
        >
          answers with API v{node.api.versions.at(-1)?.version}
        </p>
      )}
      {live.live && !live.compact && live.errors && (
        <div className="node-errors tone-down">
          <StatusIcon status="failing" size={12} /> {live.errors} of inputs failing
        </div>
      )}
      {!readOnly && (
        <ServiceActions id={id} label={label} instances={(live.live && !live.compact && live.count) || planned} />
      )}
      <Handle type="source" position={Position.Right} />
    </div>
  );
});

/** The behavior in a few words, as the card shows it. */
function describeBehavior(b: Behavior): string {
  switch (b.kind) {
    case 'forward':
      return 'forwards';
    case 'filter':
      return `keeps ${b.field} ${b.op} ${String(b.value)}`;
    case 'route':
      return `routes by ${b.field}`;
    case 'window':
      return `alerts at ${b.threshold} ${b.sum ? `${b.sum} ` : ''}per ${b.key} in ${b.windowMs / 1000} s`;
    case 'view':
      return `view by ${b.key}`;
    case 'poll':
      return `polls ${b.target} every ${b.everyMs} ms`;
  }
}
