import { HEADERS, own, type TopicMessage } from '@lab/model';
import { useCallback, useEffect, useState } from 'react';
import { topicMessages } from '../api/lab';
import { Icon } from '../icons/Icon';
import { useNodeLabels, useTopics, useTraceFilter } from '../store/selectors';
import { JourneyView } from './JourneyView';

const LIMIT = 50;
type Row = TopicMessage & { topic: string };

/**
 * What is in the topics, as Kafka holds it: partition, offset, key, headers, value. Clicking a trace id
 * follows that one event through every topic it passed.
 */
export function MessageBrowser() {
  const topics = useTopics();
  const labels = useNodeLabels();
  const { traceId, setTraceFilter } = useTraceFilter();
  const [topic, setTopic] = useState<string>();
  const [rows, setRows] = useState<Row[]>();
  const [error, setError] = useState<string>();
  const chosen = topic && topics.includes(topic) ? topic : topics[0];

  const load = useCallback(async () => {
    setError(undefined);
    try {
      if (chosen && !traceId) {
        setRows((await topicMessages(chosen, LIMIT)).map((m) => ({ ...m, topic: chosen })));
      }
    } catch (e) {
      setRows(undefined);
      setError((e as Error).message);
    }
  }, [traceId, chosen]);
  useEffect(() => {
    void load();
  }, [load]);

  // A trace id is followed by its journey, found by id (not searched for among the latest messages).
  if (traceId)
    return (
      <div className="messages">
        <div className="messages-bar">
          <span>
            Journey of trace <code>{traceId}</code>
          </span>
          <button type="button" className="button small" onClick={() => setTraceFilter(undefined)}>
            Back to the messages
          </button>
        </div>
        <JourneyView traceId={traceId} />
      </div>
    );
  if (!topics.length) return <p className="dock-empty">Add a topic to browse its messages.</p>;
  return (
    <div className="messages">
      <div className="messages-bar">
        <label>
          Topic{' '}
          <select value={chosen} onChange={(e) => setTopic(e.target.value)}>
            {topics.map((t) => (
              <option key={t} value={t}>
                {own(labels, t) ?? t}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button small" onClick={() => void load()}>
          Refresh
        </button>
        <span className="field-hint">latest {LIMIT}; click a trace id to follow that event</span>
      </div>
      {error && (
        <p className="field-problem" role="alert">
          <Icon name="warning" /> {error}
        </p>
      )}
      {rows && rows.length === 0 && <p className="dock-empty">No messages yet.</p>}
      {rows && rows.length > 0 && (
        <table className="message-table">
          <thead>
            <tr>
              <th scope="col">partition</th>
              <th scope="col">offset</th>
              <th scope="col">key</th>
              <th scope="col">headers</th>
              <th scope="col">value</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr key={`${m.topic}/${m.partition}/${m.offset}`}>
                <td>{m.partition}</td>
                <td>{m.offset}</td>
                <td>{m.key ?? <span className="muted">null</span>}</td>
                <td>
                  <Headers headers={m.headers} onTrace={setTraceFilter} />
                </td>
                <td>
                  <pre className="message-value">{JSON.stringify(m.value, null, 2)}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Headers({ headers, onTrace }: { headers: Record<string, string>; onTrace: (id: string) => void }) {
  return (
    <dl className="headers">
      {Object.entries(headers).map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>
            {name === HEADERS.traceId ? (
              <button
                type="button"
                className="link-button"
                title="Follow this event across all topics"
                onClick={() => onTrace(value)}
              >
                {value}
              </button>
            ) : (
              value
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
