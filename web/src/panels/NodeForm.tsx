import { DEFAULTS, DELIVERY_MODES, LIMITS } from '@lab/model';
import { useEditor } from '../store/selectors';
import { updateNode } from '../topology/edits';
import type { ItemProblems } from '../topology/problems';
import type { DocNode } from '../topology/types';
import { fieldsOf, JsonField, NumberField, SelectField, TextField } from './fields';
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
  const field = fieldsOf(node, problems, set);
  const common = (
    <>
      <TextField label="Name" placeholder={node.id} {...field('label')} />
      <TextField
        label="Id"
        required
        hint={node.kind === 'topic' ? 'names the Kafka topic (with the lab prefix)' : 'names its consumer group'}
        {...field('id')}
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
          fallback={DEFAULTS.source.ratePerSec}
          min={LIMITS.ratePerSec.min}
          max={LIMITS.ratePerSec.max}
          step={0.1}
          {...field('ratePerSec')}
        />
        <SelectField
          label="Pattern"
          options={['constant', 'burst', 'wave', 'random'] as const}
          fallback={DEFAULTS.source.pattern}
          {...field('pattern')}
        />
        <TextField label="Event type" placeholder={DEFAULTS.source.eventType} {...field('eventType')} />
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
      ...field(key),
      fallback: DEFAULTS.service[key],
      min: LIMITS[key].min,
      max: LIMITS[key].max,
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
          fallback={DEFAULTS.service.errorRate}
          min={0}
          max={1}
          step={0.05}
          hint="share of inputs that fail on their own"
          {...field('errorRate')}
        />
        <NumberField label="Concurrency" hint="inputs one instance handles at once" {...range('concurrency')} />
        <SelectField
          label="Delivery"
          options={['at-least-once', 'idempotent', 'exactly-once'] as const}
          fallback={DEFAULTS.service.delivery}
          hint={DELIVERY_MODES[node.delivery ?? DEFAULTS.service.delivery]}
          {...field('delivery')}
        />
        <JsonField
          label="Behavior"
          placeholder='{ "kind": "forward" }'
          hint="forward (default) · filter {field, op, value} · route {field, routes: {value: topic}, otherwise?} · window {key, windowMs, threshold, sum?, alertType?} · view {key} · poll {target, everyMs}"
          {...field('behavior')}
        />
        <JsonField
          label="API (response versions)"
          placeholder='{ "versions": [{ "version": 1, "response": { "type": "record", "name": "Answer", "fields": […] } }] }'
          hint="the answer of each version it shipped, as an Avro record; it answers with the latest, and a caller whose version the answer breaks fails its call. Nothing refuses a breaking version"
          {...field('api')}
        />
      </>
    );
  }

  return (
    <>
      {common}
      <NumberField
        label="Partitions"
        fallback={DEFAULTS.topic.partitions}
        min={LIMITS.partitions.min}
        max={LIMITS.partitions.max}
        {...field('partitions')}
      />
      <JsonField
        label="Schema (JSON Schema)"
        placeholder='{ "type": "object", "required": ["id"] }'
        hint="producers reject events whose payload does not match"
        {...field('schema')}
      />
      <JsonField
        label="Contract (Avro versions)"
        placeholder='{ "compatibility": "backward", "versions": [{ "version": 1, "schema": { "type": "record", … } }] }'
        hint="a new version must keep the mode (backward, forward, full, none) with the one before, or it is refused; events carry their version in a header"
        {...field('contract')}
      />
    </>
  );
}
