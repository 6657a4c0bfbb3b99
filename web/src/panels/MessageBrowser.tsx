import { HEADERS, type TopicMessage } from '@lab/model';
import { useCallback, useEffect, useState } from 'react';
import { topicMessages } from '../api/lab';
import { Icon } from '../icons/Icon';
import { useNodeLabels, useTopics, useTraceFilter } from '../store/selectors';

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
      if (traceId) {
        const all = await Promise.all(
          topics.map(async (t) => (await topicMessages(t, LIMIT)).map((m) => ({ ...m, topic: t }))),
        );
        setRows(
          all
            .flat()
            .filter((m) => m.headers[HEADERS.traceId] === traceId)
            .sort((a, b) => a.timestamp - b.timestamp),
        );
      } else if (chosen) {
        setRows((await topicMessages(chosen, LIMIT)).map((m) => ({ ...m, topic: chosen })));
      }
    } catch (e) {
      setRows(undefined);
      setError((e as Error).message);
    }
  }, [traceId, topics, chosen]);
  useEffect(() => {
    void load();
  }, [load]);

  if (!topics.length) return <p className="dock-empty">Add a topic to browse its messages.</p>;
  return (
    <div className="messages">
      <div className="messages-bar">
        {traceId ? (
          <>
            <span>
              Trace <code>{traceId}</code> across all topics
            </span>
            <button type="button" className="button small" onClick={() => setTraceFilter(undefined)}>
              Show one topic
            </button>
          </>
        ) : (
          <label>
            Topic{' '}
            <select value={chosen} onChange={(e) => setTopic(e.target.value)}>
              {topics.map((t) => (
                <option key={t} value={t}>
                  {labels[t] ?? t}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" className="button small" onClick={() => void load()}>
          Refresh
        </button>
        <span className="field-hint">latest {LIMIT} per topic</span>
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
              {traceId && <th scope="col">topic</th>}
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
                {traceId && <td>{labels[m.topic] ?? m.topic}</td>}
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
