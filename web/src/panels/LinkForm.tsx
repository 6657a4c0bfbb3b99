import { DEFAULTS, FAILURE_POLICIES, LIMITS, LINK_RULES, own } from '@lab/model';
import { Icon } from '../icons/Icon';
import { useBuiltAgainst, useEditor, useLinkReason, useNodeLabels } from '../store/selectors';
import { updateLink } from '../topology/edits';
import type { ItemProblems } from '../topology/problems';
import type { DocLink } from '../topology/types';
import { CheckField, NumberField, SelectField, TextField } from './fields';

/** Every field of the selected link. Its kind follows from its ends, so it is shown, not chosen. */
export function LinkForm({ link, problems = {} }: { link: DocLink; problems?: ItemProblems }) {
  const { edit } = useEditor();
  const labels = useNodeLabels();
  const builtAgainst = useBuiltAgainst(link.kind === 'call' ? link : { to: '' });
  const failing = useLinkReason(link.id);
  const set = (field: string) => (value: unknown) => edit((doc) => updateLink(doc, link.id, { [field]: value }));
  return (
    <>
      <p className="link-summary">
        <strong>{own(labels, link.from) ?? link.from}</strong> → <strong>{own(labels, link.to) ?? link.to}</strong>
        <br />
        <span className="field-hint">
          {link.kind}: {LINK_RULES[link.kind].reads}
        </span>
      </p>
      {problems.kind && (
        <p className="field-problem" role="alert">
          <Icon name="warning" /> {problems.kind}
        </p>
      )}
      {problems[''] && (
        <p className="field-problem" role="alert">
          <Icon name="warning" /> {problems['']}
        </p>
      )}
      {failing && (
        <p className="field-problem" data-testid="link-failing-reason">
          <Icon name="warning" /> Failing now: {failing}
        </p>
      )}
      <TextField label="Id" value={link.id} required problem={problems.id} onCommit={set('id')} />
      {link.kind === 'produce' && (
        <>
          <TextField
            label="Event type"
            value={link.eventType}
            placeholder="the producer's own"
            problem={problems.eventType}
            onCommit={set('eventType')}
          />
          <TextField
            label="Key field"
            value={link.keyField}
            placeholder="the producer's own"
            problem={problems.keyField}
            onCommit={set('keyField')}
          />
        </>
      )}
      {link.kind === 'consume' && (
        <>
          <SelectField
            label="New group starts from"
            value={link.startFrom}
            options={['earliest', 'latest'] as const}
            fallback={DEFAULTS.consume.startFrom}
            hint="earliest: the topic's whole history; latest: only what arrives from now on"
            problem={problems.startFrom}
            onCommit={set('startFrom')}
          />
          <NumberField
            label="Tries"
            value={link.attempts}
            fallback={DEFAULTS.consume.attempts}
            min={LIMITS.attempts.min}
            max={LIMITS.attempts.max}
            hint="how often a failing event is tried in place before the failure policy applies"
            problem={problems.attempts}
            onCommit={set('attempts')}
          />
          <NumberField
            label="Backoff"
            unit="ms"
            value={link.backoffMs}
            fallback={DEFAULTS.consume.backoffMs}
            min={LIMITS.backoffMs.min}
            max={LIMITS.backoffMs.max}
            hint="wait before the first retry; it doubles on each further one"
            problem={problems.backoffMs}
            onCommit={set('backoffMs')}
          />
          <SelectField
            label="Then"
            value={link.onFailure}
            options={['dead-letter', 'skip', 'block'] as const}
            fallback={DEFAULTS.consume.onFailure}
            hint={FAILURE_POLICIES[link.onFailure ?? DEFAULTS.consume.onFailure].replace('<topic>', link.from)}
            problem={problems.onFailure}
            onCommit={set('onFailure')}
          />
        </>
      )}
      {link.kind === 'call' && (
        <>
          <NumberField
            label="Timeout"
            unit="ms"
            value={link.timeoutMs}
            fallback={DEFAULTS.call.timeoutMs}
            min={LIMITS.timeoutMs.min}
            max={LIMITS.timeoutMs.max}
            problem={problems.timeoutMs}
            onCommit={set('timeoutMs')}
          />
          <NumberField
            label="Retries"
            value={link.retries}
            fallback={DEFAULTS.call.retries}
            min={LIMITS.retries.min}
            max={LIMITS.retries.max}
            problem={problems.retries}
            onCommit={set('retries')}
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
              value={link.apiVersion}
              fallback={builtAgainst}
              min={1}
              hint={`the version of ${own(labels, link.to) ?? link.to}'s API this caller reads answers as (default: its first); a newer version that breaks it fails every call until this is updated`}
              problem={problems.apiVersion}
              onCommit={set('apiVersion')}
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
