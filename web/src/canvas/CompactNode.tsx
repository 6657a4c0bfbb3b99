import { Handle, Position } from '@xyflow/react';
import type { ReactNode } from 'react';
import type { NodeKind } from '../topology/types';

/**
 * A node as the canvas draws it zoomed out (see geometry/detail.ts): its name in type large enough to read
 * at that zoom, and what its kind adds (a service's status icon). Same handles, so links stay attached.
 */
export function CompactNode({
  id,
  label,
  kind,
  className,
  children,
}: {
  id: string;
  label: string;
  kind: NodeKind;
  className: string;
  children?: ReactNode;
}) {
  return (
    <div className={`lab-node compact ${className}`} data-testid={`node-${id}`} title={label}>
      {kind !== 'source' && <Handle type="target" position={Position.Left} />}
      <div className="compact-title">
        {children}
        <span className="compact-label">{label}</span>
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}
