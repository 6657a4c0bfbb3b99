import { idRecord, type PayloadField } from '@lab/model';
import { useState } from 'react';
import { Icon } from '../icons/Icon';
import { Problem } from './fields';

type Payload = Record<string, PayloadField>;
const KINDS: PayloadField['kind'][] = ['id', 'sequence', 'number', 'choice'];

/** The fields a source puts in each event's payload, and how each is filled. */
export function PayloadEditor({
  value,
  problem,
  onCommit,
}: {
  value: Payload;
  problem?: string;
  onCommit: (value: Payload | undefined) => void;
}) {
  const [name, setName] = useState('');
  const entries = Object.entries(value);
  const set = (field: string, spec: PayloadField | undefined) => {
    // A field may be named "__proto__" or "constructor": a prototype-free copy keeps it a plain field.
    const next = idRecord(Object.entries(value));
    if (spec) next[field] = spec;
    else delete next[field];
    onCommit(Object.keys(next).length ? next : undefined);
  };
  const add = () => {
    const field = name.trim();
    if (!field || Object.hasOwn(value, field)) return;
    set(field, { kind: 'id' });
    setName('');
  };

  return (
    <fieldset className="payload">
      <legend>Payload fields</legend>
      {entries.length === 0 && <p className="field-hint">Each event carries only its headers until you add fields.</p>}
      {entries.map(([field, spec]) => (
        <div key={field} className="payload-row">
          <span className="payload-name">{field}</span>
          <select
            aria-label={`How ${field} is filled`}
            value={spec.kind}
            onChange={(e) => set(field, fresh(e.target.value as PayloadField['kind']))}
          >
            {KINDS.map((kind) => (
              <option key={kind}>{kind}</option>
            ))}
          </select>
          {spec.kind === 'number' && (
            <>
              <input
                aria-label={`${field} minimum`}
                type="number"
                defaultValue={spec.min}
                onBlur={(e) => set(field, { ...spec, min: Number(e.target.value) })}
              />
              <input
                aria-label={`${field} maximum`}
                type="number"
                defaultValue={spec.max}
                onBlur={(e) => set(field, { ...spec, max: Number(e.target.value) })}
              />
              <input
                aria-label={`${field} decimals`}
                type="number"
                min={0}
                max={6}
                defaultValue={spec.decimals ?? 0}
                onBlur={(e) => set(field, { ...spec, decimals: Number(e.target.value) })}
              />
            </>
          )}
          {spec.kind === 'choice' && (
            <input
              aria-label={`${field} options, comma separated`}
              defaultValue={spec.options.join(', ')}
              onBlur={(e) => {
                const options = e.target.value
                  .split(',')
                  .map((o) => o.trim())
                  .filter(Boolean);
                if (options.length) set(field, { kind: 'choice', options });
              }}
            />
          )}
          <button
            type="button"
            className="button small ghost"
            aria-label={`Remove ${field}`}
            onClick={() => set(field, undefined)}
          >
            <Icon name="close" />
          </button>
        </div>
      ))}
      <div className="payload-add">
        <input
          aria-label="New payload field name"
          placeholder="field name, e.g. customerId"
          value={name}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && add()}
        />
        <button type="button" className="button small" onClick={add}>
          Add field
        </button>
      </div>
      {problem && <Problem>{problem}</Problem>}
    </fieldset>
  );
}

function fresh(kind: PayloadField['kind']): PayloadField {
  if (kind === 'number') return { kind, min: 0, max: 100 };
  if (kind === 'choice') return { kind, options: ['a', 'b'] };
  return { kind };
}
