import { own } from '@lab/model';
import { SHORTCUTS } from '../canvas/shortcuts';
import {
  readSelection,
  useCanvasActions,
  useDocName,
  useEditor,
  useKafka,
  useProblems,
  useSelectedItem,
} from '../store/selectors';
import { duplicateNodes, removeItems } from '../topology/edits';
import { TextField } from './fields';
import { LinkForm } from './LinkForm';
import { NodeForm } from './NodeForm';

const KIND_TITLE = {
  source: 'Source',
  service: 'Service',
  topic: 'Topic',
  produce: 'Produce link',
  consume: 'Consume link',
  call: 'REST call',
};

/** The inspector: every property of what is selected; with nothing selected, the topology and the cluster. */
export function Inspector() {
  const { node, link, count } = useSelectedItem();
  const problems = useProblems();
  return (
    <aside className="inspector" aria-label="Inspector">
      {node ? (
        <>
          <h2>{KIND_TITLE[node.kind]}</h2>
          <NodeForm key={node.id} node={node} problems={own(problems.nodes, node.id)} />
        </>
      ) : link ? (
        <>
          <h2>{KIND_TITLE[link.kind]}</h2>
          <LinkForm key={link.id} link={link} problems={own(problems.links, link.id)} />
        </>
      ) : count > 1 ? (
        <ManySelected count={count} />
      ) : (
        <Overview documentProblems={problems.document} />
      )}
    </aside>
  );
}

function ManySelected({ count }: { count: number }) {
  const { edit } = useEditor();
  const { select } = useCanvasActions();
  return (
    <>
      <h2>{count} selected</h2>
      <div className="button-row">
        <button
          type="button"
          className="button"
          onClick={() => {
            let ids: string[] = [];
            edit((doc) => {
              const copied = duplicateNodes(doc, readSelection().nodes);
              ids = copied.ids;
              return copied.doc;
            });
            select({ nodes: ids });
          }}
        >
          Duplicate
        </button>
        <button
          type="button"
          className="button danger"
          onClick={() => {
            edit((doc) => removeItems(doc, readSelection()));
            select({});
          }}
        >
          Delete
        </button>
      </div>
    </>
  );
}

function Overview({ documentProblems }: { documentProblems: string[] }) {
  const name = useDocName();
  const { edit } = useEditor();
  const kafka = useKafka();
  return (
    <>
      <h2>Topology</h2>
      <TextField
        label="Topology name"
        value={name}
        required
        problem={documentProblems[0]}
        onCommit={(value) => edit((doc) => ({ ...doc, name: value ?? '' }))}
      />
      <p className="field-hint">Select a node or link to edit it. Shift-click or Shift-drag selects several.</p>
      <h2>Cluster</h2>
      <dl className="facts">
        <dt>Kafka</dt>
        <dd>{kafka ? kafka.status : 'unknown'}</dd>
        <dt>Brokers</dt>
        <dd>{kafka?.brokers.join(', ') || '—'}</dd>
        <dt>Broker</dt>
        <dd>{kafka ? (kafka.managed ? 'started by the lab' : 'your cluster (KAFKA_BROKERS)') : '—'}</dd>
      </dl>
      <h2>Keys</h2>
      <dl className="facts shortcuts">
        {SHORTCUTS.map(([keys, does]) => (
          <div key={keys} className="shortcut">
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{does}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
