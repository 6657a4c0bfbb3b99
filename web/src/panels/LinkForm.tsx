import { DEFAULTS, FAILURE_POLICIES, LIMITS, LINK_RULES, own } from '@lab/model';
import { useBuiltAgainst, useEditor, useLinkReason, useNodeLabels } from '../store/selectors';
import { updateLink } from '../topology/edits';
import type { ItemProblems } from '../topology/problems';
import type { DocLink } from '../topology/types';
import { CheckField, fieldsOf, NumberField, Problem, SelectField, TextField } from './fields';

/** Every field of the selected link. Its kind follows from its ends, so it is shown, not chosen. */
export function LinkForm({ link, problems = {} }: { link: DocLink; problems?: ItemProblems }) {
  const { edit } = useEditor();
  const labels = useNodeLabels();
  const builtAgainst = useBuiltAgainst(link.kind === 'call' ? link : { to: '' });
  const failing = useLinkReason(link.id);
  const set = (field: string) => (value: unknown) => edit((doc) => updateLink(doc, link.id, { [field]: value }));
  const field = fieldsOf(link, problems, set);
  return (
    <>
      <p className="link-summary">
        <strong>{own(labels, link.from) ?? link.from}</strong> → <strong>{own(labels, link.to) ?? link.to}</strong>
        <br />
        <span className="field-hint">
          {link.kind}: {LINK_RULES[link.kind].reads}
        </span>
      </p>
      {problems.kind && <Problem>{problems.kind}</Problem>}
      {problems[''] && <Problem>{problems['']}</Problem>}
      {failing && (
        <Problem quiet testId="link-failing-reason">
          Failing now: {failing}
        </Problem>
      )}
      <TextField label="Id" required {...field('id')} />
      {link.kind === 'produce' && (
        <>
          <TextField label="Event type" placeholder="the producer's own" {...field('eventType')} />
          <TextField label="Key field" placeholder="the producer's own" {...field('keyField')} />
        </>
      )}
      {link.kind === 'consume' && (
        <>
          <SelectField
            label="New group starts from"
            options={['earliest', 'latest'] as const}
            fallback={DEFAULTS.consume.startFrom}
            hint="earliest: the topic's whole history; latest: only what arrives from now on"
            {...field('startFrom')}
          />
          <NumberField
            label="Tries"
            fallback={DEFAULTS.consume.attempts}
            min={LIMITS.attempts.min}
            max={LIMITS.attempts.max}
            hint="how often a failing event is tried in place before the failure policy applies"
            {...field('attempts')}
          />
          <NumberField
            label="Backoff"
            unit="ms"
            fallback={DEFAULTS.consume.backoffMs}
            min={LIMITS.backoffMs.min}
            max={LIMITS.backoffMs.max}
            hint="wait before the first retry; it doubles on each further one"
            {...field('backoffMs')}
          />
          <SelectField
            label="Then"
            options={['dead-letter', 'skip', 'block'] as const}
            fallback={DEFAULTS.consume.onFailure}
            hint={FAILURE_POLICIES[link.onFailure ?? DEFAULTS.consume.onFailure].replace('<topic>', link.from)}
            {...field('onFailure')}
          />
        </>
      )}
      {link.kind === 'call' && (
        <>
          <NumberField
            label="Timeout"
            unit="ms"
            fallback={DEFAULTS.call.timeoutMs}
            min={LIMITS.timeoutMs.min}
            max={LIMITS.timeoutMs.max}
            {...field('timeoutMs')}
          />
          <NumberField
            label="Retries"
            fallback={DEFAULTS.call.retries}
            min={LIMITS.retries.min}
            max={LIMITS.retries.max}
            {...field('retries')}
          />
          <CheckField
            label="Circuit breaker"
            hint="stop calling for a while after repeated failures"
            value={link.circuitBreaker ?? DEFAULTS.call.circuitBreaker}
            onCommit={set('circuitBreaker')}
          />
          {(builtAgainst !== undefined || problems.apiVersion) && (
            <NumberField
              label="Built against API version"
              fallback={builtAgainst}
              min={1}
              hint={`the version of ${own(labels, link.to) ?? link.to}'s API this caller reads answers as (default: its first); a newer version that breaks it fails every call until this is updated`}
              {...field('apiVersion')}
            />
          )}
          <CheckField
            label="Fallback"
            hint="answer with a fallback instead of failing the caller"
            value={link.fallback ?? DEFAULTS.call.fallback}
            onCommit={set('fallback')}
          />
        </>
      )}
    </>
  );
}
