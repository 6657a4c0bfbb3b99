import { type ReactNode, useEffect, useId, useState } from 'react';
import { Icon } from '../icons/Icon';

/**
 * Inspector fields. Text and numbers are drafts until Enter or leaving the field, so typing "120" is one
 * edit (one undo step, one save), not three. An empty field means "use the default", shown as placeholder.
 */
interface FieldProps {
  label: string;
  problem?: string;
  hint?: string;
  children: (ids: { id: string; describedBy?: string }) => ReactNode;
}

export function Field({ label, problem, hint, children }: FieldProps) {
  const id = useId();
  const note = problem ?? hint;
  return (
    <div className={`field${problem ? ' has-problem' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, describedBy: note ? `${id}-note` : undefined })}
      {note && (
        <p id={`${id}-note`} className={problem ? 'field-problem' : 'field-hint'} role={problem ? 'alert' : undefined}>
          {problem && <Icon name="warning" />}
          {note}
        </p>
      )}
    </div>
  );
}

type Draftable<T> = { value: T; onCommit: (value: T) => void };

function useDraft(value: string) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return [draft, setDraft] as const;
}

export function TextField(
  props: Omit<FieldProps, 'children'> & Draftable<string | undefined> & { placeholder?: string; required?: boolean },
) {
  const [draft, setDraft] = useDraft(props.value ?? '');
  const commit = () => {
    const text = draft.trim();
    if (text === (props.value ?? '')) return;
    props.onCommit(text === '' && !props.required ? undefined : text);
  };
  return (
    <Field {...props}>
      {({ id, describedBy }) => (
        <input
          id={id}
          type="text"
          value={draft}
          placeholder={props.placeholder}
          aria-invalid={props.problem ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
        />
      )}
    </Field>
  );
}

export function NumberField(
  props: Omit<FieldProps, 'children'> &
    Draftable<number | undefined> & { fallback?: number; min?: number; max?: number; step?: number; unit?: string },
) {
  const [draft, setDraft] = useDraft(props.value === undefined ? '' : String(props.value));
  const commit = () => {
    const next = draft.trim() === '' ? undefined : Number(draft);
    if (next === props.value || (next !== undefined && Number.isNaN(next))) return;
    props.onCommit(next);
  };
  return (
    <Field {...props} label={props.unit ? `${props.label} (${props.unit})` : props.label}>
      {({ id, describedBy }) => (
        <input
          id={id}
          type="number"
          value={draft}
          min={props.min}
          max={props.max}
          step={props.step ?? 1}
          placeholder={props.fallback === undefined ? undefined : `${props.fallback} (default)`}
          aria-invalid={props.problem ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
        />
      )}
    </Field>
  );
}

export function SelectField<T extends string>(
  props: Omit<FieldProps, 'children'> & Draftable<T | undefined> & { options: readonly T[]; fallback: T },
) {
  return (
    <Field {...props}>
      {({ id, describedBy }) => (
        <select
          id={id}
          value={props.value ?? props.fallback}
          aria-describedby={describedBy}
          onChange={(e) => props.onCommit(e.target.value as T)}
        >
          {props.options.map((option) => (
            <option key={option} value={option}>
              {option}
              {option === props.fallback ? ' (default)' : ''}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function CheckField(props: {
  label: string;
  hint?: string;
  value: boolean;
  onCommit: (value: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="field check">
      <input id={id} type="checkbox" checked={props.value} onChange={(e) => props.onCommit(e.target.checked)} />
      <label htmlFor={id}>{props.label}</label>
      {props.hint && <p className="field-hint">{props.hint}</p>}
    </div>
  );
}

/** JSON edited as text: kept as a draft (with its parse error shown) until it parses. */
export function JsonField(
  props: Omit<FieldProps, 'children'> & Draftable<Record<string, unknown> | undefined> & { placeholder?: string },
) {
  const shown = props.value === undefined ? '' : JSON.stringify(props.value, null, 2);
  const [draft, setDraft] = useDraft(shown);
  const [parseError, setParseError] = useState<string>();
  const commit = () => {
    if (draft === shown) return;
    if (draft.trim() === '') {
      setParseError(undefined);
      props.onCommit(undefined);
      return;
    }
    try {
      const value: unknown = JSON.parse(draft);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('must be a JSON object');
      setParseError(undefined);
      props.onCommit(value as Record<string, unknown>);
    } catch (error) {
      setParseError(`not saved: ${(error as Error).message}`);
    }
  };
  return (
    <Field {...props} problem={parseError ?? props.problem}>
      {({ id, describedBy }) => (
        <textarea
          id={id}
          rows={5}
          spellCheck={false}
          value={draft}
          placeholder={props.placeholder}
          aria-describedby={describedBy}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
        />
      )}
    </Field>
  );
}
