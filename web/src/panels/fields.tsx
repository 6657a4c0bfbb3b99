import { type InputHTMLAttributes, type ReactNode, useEffect, useId, useState } from 'react';
import { Icon } from '../icons/Icon';
import type { ItemProblems } from '../topology/problems';

/**
 * Inspector fields. Text and numbers are drafts until Enter or leaving the field, so typing "120" is one
 * edit (one undo step, one save), not three. An empty field means "use the default", shown as placeholder.
 */
interface FieldProps {
  label: string;
  problem?: string;
  hint?: string;
  /** A checkbox: the box before its label, on one line. */
  check?: boolean;
  children: (control: ControlProps) => ReactNode;
}

/** What ties a control to its row: its label (by id), its note (read after it), and whether it is invalid. */
interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

/** One row of a form: label, control, and the problem (announced) or the hint beside it. */
export function Field({ label, problem, hint, check, children }: FieldProps) {
  const id = useId();
  const noteId = problem || hint ? `${id}-note` : undefined;
  const labelled = <label htmlFor={id}>{label}</label>;
  const control = children({ id, 'aria-describedby': noteId, 'aria-invalid': problem ? true : undefined });
  return (
    <div className={`field${check ? ' check' : ''}${problem ? ' has-problem' : ''}`}>
      {check ? (
        <>
          {control}
          {labelled}
        </>
      ) : (
        <>
          {labelled}
          {control}
        </>
      )}
      {problem ? (
        <Problem id={noteId}>{problem}</Problem>
      ) : (
        hint && (
          <p id={noteId} className="field-hint">
            {hint}
          </p>
        )
      )}
    </div>
  );
}

/** A problem in words, with its warning mark; announced when it appears unless `quiet`. */
export function Problem({
  id,
  quiet,
  testId,
  children,
}: {
  id?: string;
  quiet?: boolean;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <p id={id} className="field-problem" role={quiet ? undefined : 'alert'} data-testid={testId}>
      <Icon name="warning" />
      {children}
    </p>
  );
}

/** A field name of any kind of item in the union T (a link's `attempts` exists only on consume links). */
type AnyKey<T> = T extends unknown ? keyof T & string : never;
/** That field's value, `undefined` on the kinds that do not have it. */
type AnyValue<T, K extends string> = T extends unknown ? (K extends keyof T ? T[K] : undefined) : never;

/**
 * The props every field of one node or link shares: its value, its problem and how it commits, by field name;
 * `set(field)` makes the edit.
 */
export function fieldsOf<T extends object>(
  item: T,
  problems: ItemProblems,
  set: (field: string) => (value: unknown) => void,
) {
  return <K extends AnyKey<T>>(key: K) => ({
    value: (item as Record<string, unknown>)[key] as AnyValue<T, K>,
    problem: problems[key],
    // The edit takes any value: the document is validated as a whole, and a refused value shows as a problem.
    onCommit: set(key),
  });
}

/** What a field's caller gives: the row's words, not how the control is tied to them. */
type RowProps = Omit<FieldProps, 'children' | 'check'>;
type Draftable<T> = { value: T; onCommit: (value: T) => void };

function useDraft(value: string) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return [draft, setDraft] as const;
}

/** A text or number input kept as a draft, committed on Enter or when it loses focus. */
function DraftInput({
  draft,
  setDraft,
  commit,
  ...input
}: ControlProps &
  InputHTMLAttributes<HTMLInputElement> & { draft: string; setDraft: (text: string) => void; commit: () => void }) {
  return (
    <input
      {...input}
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}

export function TextField(
  props: RowProps & Draftable<string | undefined> & { placeholder?: string; required?: boolean },
) {
  const [draft, setDraft] = useDraft(props.value ?? '');
  const commit = () => {
    const text = draft.trim();
    if (text === (props.value ?? '')) return;
    props.onCommit(text === '' && !props.required ? undefined : text);
  };
  return (
    <Field {...props}>
      {(control) => (
        <DraftInput
          {...control}
          type="text"
          placeholder={props.placeholder}
          draft={draft}
          setDraft={setDraft}
          commit={commit}
        />
      )}
    </Field>
  );
}

export function NumberField(
  props: RowProps &
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
      {(control) => (
        <DraftInput
          {...control}
          type="number"
          min={props.min}
          max={props.max}
          step={props.step ?? 1}
          placeholder={props.fallback === undefined ? undefined : `${props.fallback} (default)`}
          draft={draft}
          setDraft={setDraft}
          commit={commit}
        />
      )}
    </Field>
  );
}

export function SelectField<T extends string>(
  props: RowProps & Draftable<T | undefined> & { options: readonly T[]; fallback: T },
) {
  return (
    <Field {...props}>
      {(control) => (
        <select
          {...control}
          value={props.value ?? props.fallback}
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

export function CheckField(props: RowProps & Draftable<boolean>) {
  return (
    <Field {...props} check>
      {(control) => (
        <input {...control} type="checkbox" checked={props.value} onChange={(e) => props.onCommit(e.target.checked)} />
      )}
    </Field>
  );
}

/** JSON edited as text: kept as a draft (with its parse error shown) until it parses. */
export function JsonField(props: RowProps & Draftable<Record<string, unknown> | undefined> & { placeholder?: string }) {
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
      {(control) => (
        <textarea
          {...control}
          rows={5}
          spellCheck={false}
          value={draft}
          placeholder={props.placeholder}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
        />
      )}
    </Field>
  );
}
