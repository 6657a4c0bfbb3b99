import { useKafka } from '../store/selectors';

/** The side panel: the inspector of whatever is selected; with nothing selected, the cluster. */
export function SidePanel() {
  const kafka = useKafka();
  return (
    <aside className="side-panel" aria-label="Inspector">
      <h2>Cluster</h2>
      <dl className="facts">
        <dt>Kafka</dt>
        <dd>{kafka ? kafka.status : 'unknown'}</dd>
        <dt>Brokers</dt>
        <dd>{kafka?.brokers.join(', ') ?? '—'}</dd>
        <dt>Broker</dt>
        <dd>{kafka ? (kafka.managed ? 'started by the lab' : 'your cluster (KAFKA_BROKERS)') : '—'}</dd>
      </dl>
    </aside>
  );
}
