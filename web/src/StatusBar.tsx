import type { Status } from '@lab/model';
import { Legend } from './canvas/Legend';
import { StatusIcon } from './canvas/StatusIcon';
import { useLab } from './store';
import { useConnection, useKafka, useServerVersion } from './store/selectors';

/** Kafka's state and the live connection's, each with an icon and a word as well as a colour. */
export function StatusBar() {
  const { connection, attempt } = useConnection();
  const kafka = useKafka();
  const version = useServerVersion();
  // A replay, not a spotlight (read-only too, but live).
  const replay = useLab((s) => s.timeMode === 'replay');

  const kafkaView: { tone: Status; text: string; icon: Status } = !kafka
    ? { tone: 'idle', icon: 'idle', text: 'Kafka: unknown' }
    : kafka.status === 'up'
      ? {
          tone: 'running',
          icon: 'running',
          text: `Kafka${replay ? ' (as recorded)' : ''}: connected · ${kafka.brokers.join(', ')}`,
        }
      : kafka.status === 'starting'
        ? { tone: 'rebalancing', icon: 'rebalancing', text: 'Kafka: starting' }
        : { tone: 'down', icon: 'down', text: 'Kafka: down' };
  const liveView: { tone: Status; text: string; icon: Status } = replay
    ? { tone: 'idle', icon: 'idle', text: 'Replay: recorded, not live' }
    : connection === 'open'
      ? { tone: 'running', icon: 'running', text: 'Live: connected' }
      : connection === 'connecting'
        ? { tone: 'idle', icon: 'idle', text: 'Live: connecting…' }
        : { tone: 'down', icon: 'rebalancing', text: `Live: reconnecting (attempt ${attempt})…` };

  return (
    <footer className="statusbar">
      <span className={`status-item tone-${kafkaView.tone}`} data-testid="kafka-status" title={kafka?.error}>
        <StatusIcon status={kafkaView.icon} size={12} /> {kafkaView.text}
      </span>
      {kafka?.status === 'down' && kafka.error && <span className="status-detail">{kafka.error}</span>}
      <span className="spacer" />
      <Legend />
      <span className={`status-item tone-${liveView.tone}`} data-testid="live-status">
        <StatusIcon status={liveView.icon} size={12} /> {liveView.text}
      </span>
      {version && <span className="status-detail">v{version}</span>}
    </footer>
  );
}
