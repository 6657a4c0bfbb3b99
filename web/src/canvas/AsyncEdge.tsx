import { EdgeLabelRenderer, type EdgeProps, getBezierPath } from '@xyflow/react';
import { memo } from 'react';
import { fmtCount } from '../format/numbers';
import { useLagBehind, useLinkLag, useLinkLive } from '../store/selectors';
import type { LabEdge } from './flow';
import { LabelLeader, useLabelPlace } from './labelPlaces';
import { MovingDots } from './MovingDots';
import { useDetail } from './useDetail';

/** Lag at which the buffer bar is full; more still shows as a number. */
const FULL_BUFFER = 10_000;

/**
 * A produce or consume link: dashed (it goes through Kafka, nobody waits), with dots whose density follows
 * the rate. A consume link also carries its group's lag as a buffer: a bar and a number.
 */
export const AsyncEdge = memo(function AsyncEdge({
  id,
  data,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  selected,
}: EdgeProps<LabEdge>) {
  const detail = useDetail();
  const live = useLinkLive(id, detail);
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const kind = data?.link.kind ?? 'produce';
  const place = useLabelPlace(id);
  return (
    <g data-testid={`edge-${id}`} className={`lab-edge async-edge ${kind}${selected ? ' selected' : ''}`}>
      <path className="react-flow__edge-path" d={path} fill="none" />
      <path className="react-flow__edge-interaction" d={path} fill="none" strokeOpacity={0} strokeWidth={20} />
      <title>{`${kind}${live.rate ? ` · ${live.rate} ev/s` : ''}`}</title>
      <MovingDots id={id} path={path} count={live.dots} periodMs={2200} className="edge-dots" />
      {kind === 'consume' && detail === 'full' && live.live && <LabelLeader place={place} />}
      {kind === 'consume' && detail === 'full' && <LagBuffer id={id} x={place?.x ?? labelX} y={place?.y ?? labelY} />}
    </g>
  );
});

/** The consume link's lag: its own subscription, so a lag that moves re-renders this label, not the link. */
const LagBuffer = memo(function LagBuffer({ id, x, y }: { id: string; x: number; y: number }) {
  const lag = useLinkLag(id);
  const behind = useLagBehind(id);
  if (lag === undefined) return null;
  return (
    <EdgeLabelRenderer>
      <div
        className={`lag-buffer nodrag nopan${lag > 0 ? ' growing' : ''}`}
        data-testid={`lag-${id}`}
        style={{ transform: `translate(-50%, -50%) translate(${x}px, ${y}px)` }}
        title="messages in the topic this consumer group has not processed yet"
      >
        <span className="lag-bar" aria-hidden="true">
          <span style={{ width: `${bufferShare(lag) * 100}%` }} />
        </span>
        lag {fmtCount(lag)}
        {lag > 0 && behind}
      </div>
    </EdgeLabelRenderer>
  );
});

/** Log scale: a lag of 10 is visible, a lag of 10,000 fills the bar. */
function bufferShare(lag: number): number {
  return lag <= 0 ? 0 : Math.min(1, Math.log10(lag + 1) / Math.log10(FULL_BUFFER + 1));
}
