import { DEFAULTS, DELIVERY_MODES, LIMITS } from '@lab/model';
import { useEditor } from '../store/selectors';
import { updateNode } from '../topology/edits';
import type { ItemProblems } from '../topology/problems';
import type { DocNode } from '../topology/types';
import { JsonField, NumberField, SelectField, TextField } from './fields';
import { PayloadEditor } from './PayloadEditor';

/** Every field of the selected node, with the validation problem of each beside it. */
export function NodeForm({ node, problems = {} }: { node: DocNode; problems?: ItemProblems }) {
  const { edit } = useEditor();
  const set = (field: string) => (value: unknown) => edit((doc) => updateNode(doc, node.id, { [field]: value }));
  // Dragging is the usual way; exact numbers line nodes up for a lab's screenshots.
  const setPosition = (at: { x?: number; y?: number }) =>
    set('position')({
      x: 0,
      y: 0,
      ...node.position,
      ...Object.fromEntries(Object.entries(at).filter(([, v]) => v !== undefined)),
    });
  const common = (
    <>
      <TextField
        label="Name"
        value={node.label}
        placeholder={node.id}
        problem={problems.label}
        onCommit={set('label')}
      />
      <TextField
        label="Id"
        value={node.id}
        required
        hint={node.kind === 'topic' ? 'names the Kafka topic (with the lab prefix)' : 'names its consumer group'}
        problem={problems.id}
        onCommit={set('id')}
      />
      <div className="field-pair">
        <NumberField label="x" value={node.position?.x} onCommit={(x) => setPosition({ x })} />
        <NumberField label="y" value={node.position?.y} onCommit={(y) => setPosition({ y })} />
      </div>
    </>
  );

  if (node.kind === 'source') {
    const payload = node.payload ?? {};
    return (
      <>
        {common}
        <NumberField
          label="Rate"
          unit="ev/s"
          value={node.ratePerSec}
          fallback={DEFAULTS.source.ratePerSec}
          min={LIMITS.ratePerSec.min}
          max={LIMITS.ratePerSec.max}
          step={0.1}
          problem={problems.ratePerSec}
          onCommit={set('ratePerSec')}
        />
        <SelectField
          label="Pattern"
          value={node.pattern}
          options={['constant', 'burst', 'wave', 'random'] as const}
          fallback={DEFAULTS.source.pattern}
          problem={problems.pattern}
          onCommit={set('pattern')}
        />
        <TextField
          label="Event type"
          value={node.eventType}
          placeholder={DEFAULTS.source.eventType}
          problem={problems.eventType}
          onCommit={set('eventType')}
        />
        <PayloadEditor value={payload} problem={problems.payload} onCommit={set('payload')} />
        <SelectField
          label="Key field"
          value={node.keyField ?? ''}
          options={['', ...Object.keys(payload)]}
          fallback=""
          hint="same key, same partition, same order"
          problem={problems.keyField}
          onCommit={(value) => set('keyField')(value || undefined)}
        />
      </>
    );
  }

  if (node.kind === 'service') {
    const range = (key: 'instances' | 'processingMs' | 'jitterMs' | 'concurrency') => ({
      value: node[key],
      fallback: DEFAULTS.service[key],
      min: LIMITS[key].min,
      max: LIMITS[key].max,
      problem: problems[key],
      onCommit: set(key),
    });
    return (
      <>
        {common}
        <NumberField label="Instances" {...range('instances')} />
        <NumberField label="Processing time" unit="ms" {...range('processingMs')} />
        <NumberField label="Jitter" unit="ms" {...range('jitterMs')} />
        <NumberField
          label="Error rate"
          unit="0–1"
          value={node.errorRate}
          fallback={DEFAULTS.service.errorRate}
          min={0}
          max={1}
          step={0.05}
          hint="share of inputs that fail on their own"
          problem={problems.errorRate}
          onCommit={set('errorRate')}
        />
        <NumberField label="Concurrency" hint="inputs one instance handles at once" {...range('concurrency')} />
        <SelectField
          label="Delivery"
          value={node.delivery}
          options={['at-least-once', 'idempotent', 'exactly-once'] as const}
          fallback={DEFAULTS.service.delivery}
          hint={DELIVERY_MODES[node.delivery ?? DEFAULTS.service.delivery]}
          problem={problems.delivery}
          onCommit={set('delivery')}
        />
        <JsonField
          label="Behavior"
          value={node.behavior}
          placeholder='{ "kind": "forward" }'
          hint="forward (default) · filter {field, op, value} · route {field, routes: {value: topic}, otherwise?} · window {key, windowMs, threshold, sum?, alertType?} · view {key} · poll {target, everyMs}"
          problem={problems.behavior}
          onCommit={set('behavior')}
        />
        <JsonField
          label="API (response versions)"
          value={node.api}
          placeholder='{ "versions": [{ "version": 1, "response": { "type": "record", "name": "Answer", "fields": […] } }] }'
          hint="the answer of each version it shipped, as an Avro record; it answers with the latest, and a caller whose version the answer breaks fails its call. Nothing refuses a breaking version"
          problem={problems.api}
          onCommit={set('api')}
        />
      </>
    );
  }

  return (
    <>
      {common}
      <NumberField
        label="Partitions"
        value={node.partitions}
        fallback={DEFAULTS.topic.partitions}
        min={LIMITS.partitions.min}
        max={LIMITS.partitions.max}
        problem={problems.partitions}
        onCommit={set('partitions')}
      />
      <JsonField
        label="Schema (JSON Schema)"
        value={node.schema}
        placeholder='{ "type": "object", "required": ["id"] }'
        hint="producers reject events whose payload does not match"
        problem={problems.schema}
        onCommit={set('schema')}
      />
      <JsonField
        label="Contract (Avro versions)"
        value={node.contract}
        placeholder='{ "compatibility": "backward", "versions": [{ "version": 1, "schema": { "type": "record", … } }] }'
        hint="a new version must keep the mode (backward, forward, full, none) with the one before, or it is refused; events carry their version in a header"
        problem={problems.contract}
        onCommit={set('contract')}
      />
    </>
  );
}
