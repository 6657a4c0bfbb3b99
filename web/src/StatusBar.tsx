import { useConnection, useKafka, useServerVersion } from './store/selectors';

/** Kafka's state and the live connection's, each with an icon and a word as well as a colour. */
export function StatusBar() {
  const { connection, attempt } = useConnection();
  const kafka = useKafka();
  const version = useServerVersion();

  const kafkaView = !kafka
    ? { tone: 'idle', icon: '○', text: 'Kafka: unknown' }
    : kafka.status === 'up'
      ? { tone: 'running', icon: '●', text: `Kafka: connected · ${kafka.brokers.join(', ')}` }
      : kafka.status === 'starting'
        ? { tone: 'rebalancing', icon: '◐', text: 'Kafka: starting' }
        : { tone: 'down', icon: '✖', text: 'Kafka: down' };
  const liveView =
    connection === 'open'
      ? { tone: 'running', icon: '●', text: 'Live: connected' }
      : connection === 'connecting'
        ? { tone: 'idle', icon: '○', text: 'Live: connecting…' }
        : { tone: 'down', icon: '↻', text: `Live: reconnecting (attempt ${attempt})…` };

  return (
    <footer className="statusbar">
      <span className={`status-item tone-${kafkaView.tone}`} data-testid="kafka-status" title={kafka?.error}>
        <span aria-hidden="true">{kafkaView.icon}</span> {kafkaView.text}
      </span>
      {kafka?.status === 'down' && kafka.error && <span className="status-detail">{kafka.error}</span>}
      <span className="spacer" />
      <span className={`status-item tone-${liveView.tone}`} data-testid="live-status">
        <span aria-hidden="true">{liveView.icon}</span> {liveView.text}
      </span>
      {version && <span className="status-detail">v{version}</span>}
    </footer>
  );
}
