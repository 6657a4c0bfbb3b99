import { EdgeLabelRenderer, type EdgeProps, getBezierPath } from '@xyflow/react';
import { memo } from 'react';
import { useBuiltAgainst, useLinkLive } from '../store/selectors';
import type { LabEdge } from './flow';
import { LabelLeader, useLabelPlace } from './labelPlaces';
import { MovingDots } from './MovingDots';
import { StatusIcon } from './StatusIcon';
import { useDetail } from './useDetail';

/**
 * A REST call: solid with an arrowhead (the caller waits for the answer), pulses for requests, red while
 * failing, amber while timing out, and the circuit breaker's state when it has one.
 */
export const CallEdge = memo(function CallEdge({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  selected,
  data,
}: EdgeProps<LabEdge>) {
  const detail = useDetail();
  const live = useLinkLive(id, detail);
  const version = useBuiltAgainst(data?.link ?? { to: '' });
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const { state } = live;
  const place = useLabelPlace(id);
  const words = [
    live.failing && `failing ${live.failing}`,
    live.timingOut && `timing out ${live.timingOut}`,
    live.circuit && live.circuit !== 'closed' && `circuit ${live.circuit}`,
    version !== undefined && detail !== 'compact' && apiWord(version, live.live ? live.served : undefined),
  ].filter(Boolean);
  const reason = live.live && live.state === 'failing' ? live.reason : undefined;
  return (
    <g data-testid={`edge-${id}`} className={`lab-edge call-edge ${state}${selected ? ' selected' : ''}`}>
      <path className="react-flow__edge-path" d={path} fill="none" markerEnd={`url(#call-arrow-${state})`} />
      <path className="react-flow__edge-interaction" d={path} fill="none" strokeOpacity={0} strokeWidth={20} />
      <title>{`REST call${live.rate ? ` · ${live.rate} calls/s` : ''}${reason ? ` · ${reason}` : ''}`}</title>
      <MovingDots id={id} path={path} count={Math.min(3, live.dots)} periodMs={1200} className="call-pulses" />
      {words.length > 0 && <LabelLeader place={place} />}
      {words.length > 0 && (
        <EdgeLabelRenderer>
          <div
            className={`call-label ${state}`}
            data-testid={`call-${id}`}
            title={[
              version !== undefined && `the caller reads answers as version ${version} of the callee's API`,
              reason,
            ]
              .filter(Boolean)
              .join('\n')}
            style={{ transform: `translate(-50%, -50%) translate(${place?.x ?? labelX}px, ${place?.y ?? labelY}px)` }}
          >
            {words.map((word, i) => (
              <span key={String(word)} className="call-word">
                {i === 0 && state !== 'ok' && <StatusIcon status={state === 'failing' ? 'down' : 'slow'} size={12} />}
                {word}
              </span>
            ))}
          </div>
        </EdgeLabelRenderer>
      )}
    </g>
  );
});

/** The API version a caller reads, and the one it gets when the callee has shipped another. */
function apiWord(reads: number, gets: number | undefined): string {
  return gets === undefined || gets === reads ? `API v${reads}` : `API v${reads}, gets v${gets}`;
}

/** The arrowheads, one per call state so the head takes the line's colour; drawn once per canvas. */
export function CallArrowMarkers() {
  return (
    <svg className="marker-defs" aria-hidden="true" width="0" height="0">
      <defs>
        {(['ok', 'failing', 'timing-out'] as const).map((state) => (
          <marker
            key={state}
            id={`call-arrow-${state}`}
            className={`call-arrow ${state}`}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M0 0L10 5L0 10z" />
          </marker>
        ))}
      </defs>
    </svg>
  );
}
