import { DEFAULT_COMPATIBILITY, DEFAULTS } from '@lab/model';
import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo, useMemo, useState } from 'react';
import { redrive } from '../api/lab';
import type { GroupAccount, Lane } from '../geometry/lanes';
import { Icon } from '../icons/Icon';
import { useGroupAccounts, useNotify, useRunning, useTopicLanes } from '../store/selectors';
import { CompactNode } from './CompactNode';
import type { LabNode } from './flow';
import { NodeLabel } from './NodeLabel';
import { useDetail } from './useDetail';

/**
 * A topic drawn as what it is, an append-only log: one lane per partition, filled to its end offset (relative
 * to the fullest lane), with a tick where each consumer group has committed. The gap is the lag. A partition
 * a service holds behind a failing event (block policy) is marked blocked. Under the lanes, how each
 * consuming service finished the topic's events: processed, dead-lettered, lost (red), pending.
 * A dead-letter topic carries a Redrive button.
 */
export const TopicNode = memo(function TopicNode({ id, data }: NodeProps<LabNode>) {
  const node = data.node.kind === 'topic' ? data.node : undefined;
  const partitions = node?.partitions ?? DEFAULTS.topic.partitions;
  const detail = useDetail();
  const lanesKey = useTopicLanes(id, partitions, detail);
  const lanes = useMemo(() => JSON.parse(lanesKey) as Lane[], [lanesKey]);
  const accountsKey = useGroupAccounts(id);
  const accounts = useMemo(() => JSON.parse(accountsKey) as GroupAccount[], [accountsKey]);
  if (!node) return null;
  const label = node.label ?? node.id;
  if (detail === 'compact') return <CompactNode id={id} label={label} kind="topic" className="topic-node" />;

  return (
    <div className={`lab-node topic-node${data.deadLetterOf ? ' dead-letter-topic' : ''}`} data-testid={`node-${id}`}>
      <Handle type="target" position={Position.Left} />
      <div className="node-title">
        <svg className="kind-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <g fill="currentColor">
            <rect x="1" y="2" width="14" height="3" rx="1" />
            <rect x="1" y="6.5" width="10" height="3" rx="1" />
            <rect x="1" y="11" width="12" height="3" rx="1" />
          </g>
        </svg>
        {data.deadLetterOf ? <span className="node-label">{label}</span> : <NodeLabel id={id} label={label} />}
      </div>
      {data.deadLetterOf && <p className="topic-note">dead letters of {data.deadLetterOf}</p>}
      {node.contract && (
        <p className="topic-note" title="the contract's latest version and its compatibility mode">
          contract v{node.contract.versions.at(-1)?.version} · {node.contract.compatibility ?? DEFAULT_COMPATIBILITY}
        </p>
      )}
      <ol className="partition-lanes" aria-label={`${lanes.length} partitions`}>
        {lanes.map((lane, p) => (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: a partition is its index
            key={p}
            className={`lane${lane.blocked.length ? ' lane-blocked' : ''}`}
            aria-label={`partition ${p}: end offset ${lane.end}${lane.blocked.length ? `, blocked (${lane.blocked.join('; ')})` : ''}`}
            title={lane.blocked.length ? `blocked: ${lane.blocked.join('; ')}` : undefined}
          >
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
              {lane.blocked.length > 0 && <Icon name="error" size={10} />}
              {lane.shown}
            </span>
          </li>
        ))}
      </ol>
      {accounts.length > 0 && (
        <ul className="group-accounts" aria-label="How each consuming service finished these events">
          {accounts.map((a) => (
            <li key={a.group} data-testid={`account-${id}-${a.group}`}>
              <span className="account-group">{a.group}</span> <Icon name="check" size={10} /> {a.processed}
              {a.deadLettered > 0 && <span className="account-dlq"> · dead-lettered {a.deadLettered}</span>}
              {a.lost > 0 && (
                <span className="account-lost">
                  {' '}
                  · <Icon name="error" size={10} /> lost {a.lost}
                </span>
              )}
              {a.pending > 0 && <span className="account-pending"> · pending {a.pending}</span>}
              {a.duplicates > 0 && <span> · twice {a.duplicates}</span>}
              {a.dropped > 0 && <span> · dropped {a.dropped}</span>}
            </li>
          ))}
        </ul>
      )}
      {data.deadLetterOf && <RedriveButton id={id} origin={data.deadLetterOf} />}
      <Handle type="source" position={Position.Right} />
    </div>
  );
});

/** Republishes the dead-letter topic's events to the topic they came from, for the services that failed them. */
function RedriveButton({ id, origin }: { id: string; origin: string }) {
  const running = useRunning();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const press = () => {
    setBusy(true);
    redrive(id)
      .then(({ redriven }) => notify(`Redrive: ${redriven} events from ${id} back to ${origin}`, 'info'))
      .catch((error: Error) => notify(`Redrive ${id}: ${error.message}`, 'error'))
      .finally(() => setBusy(false));
  };
  return (
    <button
      type="button"
      className="redrive-button nodrag"
      disabled={!running || busy}
      title={running ? `Send these events back to ${origin}` : 'Run the topology to redrive'}
      onClick={press}
    >
      {busy ? 'Redriving…' : `Redrive to ${origin}`}
    </button>
  );
}
