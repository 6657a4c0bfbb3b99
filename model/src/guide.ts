import { type CheckState, conditionHolds, conditionTarget, readMetric } from './check.js';
import { type Check, type Condition, PREDICTION_DEFAULTS, type Prediction, parseDuration } from './lab.js';
import type { ConditionLive } from './protocol.js';
import { own } from './records.js';
import type { Topology } from './topology.js';

/**
 * How the guide explains a step that is not green yet: every condition in the learner's words, with its
 * live value, its target and whether it holds ("lag on orders → Payments: 12 events — needs > 60 events").
 */

const FIELD_WORDS: Record<string, string> = {
  status: 'status',
  inRate: 'input rate',
  outRate: 'output rate',
  targetRate: 'set rate',
  errorRate: 'error rate',
  timeoutRate: 'timeout rate',
  p50Ms: 'p50 latency',
  p99Ms: 'p99 latency',
  processed: 'processed',
  failed: 'failed',
  inFlight: 'in flight',
  rate: 'rate',
  lag: 'lag',
  circuit: 'circuit',
  missing: 'missing events',
  duplicates: 'duplicates',
  completed: 'completed flows',
};

/** Splits `<id>.<rest>` where the id is the longest run of segments `known` accepts (ids may contain dots). */
function splitId(segments: string[], known: (id: string) => boolean): [string, string[]] {
  for (let j = segments.length; j > 0; j--) {
    const id = segments.slice(0, j).join('.');
    if (known(id)) return [id, segments.slice(j)];
  }
  return [segments[0] ?? '', segments.slice(1)];
}

/** A metric path in the learner's words, with the topology's labels: "lag on orders → Payments". */
export function describeMetric(path: string, topology: Topology): string {
  const [section, ...rest] = path.split('.');
  const nodeName = (id: string) => topology.nodes.find((n) => n.id === id)?.label ?? id;
  const isNode = (id: string) => topology.nodes.some((n) => n.id === id);
  const word = (field: string | undefined) => own(FIELD_WORDS, field ?? '') ?? field ?? '';
  if (section === 'running') return 'topology running';
  if (section === 'measures') return rest.join('.');
  if (path === LEARNER_JOURNEYS) return 'journeys you opened (click a trace id)';
  if (section === 'links') {
    const [id, fields] = splitId(rest, (l) => topology.links.some((link) => link.id === l));
    const link = topology.links.find((l) => l.id === id);
    const where = link ? `${nodeName(link.from)} → ${nodeName(link.to)}` : id;
    return `${word(fields.at(-1))} on ${where}`;
  }
  const [id, fields] = splitId(rest, isNode);
  if (section === 'nodes') return `${word(fields.at(-1))} of ${nodeName(id)}`;
  if (section === 'flows') return `end-to-end ${word(fields.at(-1))} from ${nodeName(id)}`;
  if (section === 'topics' && fields[0] === 'groups') {
    const [group, groupFields] = splitId(fields.slice(1), isNode);
    return `${word(groupFields.at(-1))} of ${nodeName(group)} on ${nodeName(id)}`;
  }
  return path;
}

/** What the learner did in the guide that a check can ask for: opening an event's journey. */
export const LEARNER_JOURNEYS = 'learner.journeysFollowed';

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** A metric's value as the learner reads it, with its unit: "12 events", "95%", "230 ms", "19.8 ev/s". */
export function formatMetric(path: string, value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value !== 'number') return String(value);
  const field = path.split('.').at(-1) ?? '';
  if (field === 'errorRate' || field === 'timeoutRate')
    return `${round(value * 100, value > 0 && value < 0.01 ? 1 : 0)}%`;
  if (field.endsWith('Ms')) return `${round(value, 0).toLocaleString('en-US')} ms`;
  if (/^(in|out|target)?[rR]ate$/.test(field)) return `${round(value)} ev/s`;
  if (field === 'lag' || field === 'missing' || field === 'duplicates')
    return `${round(value, 0).toLocaleString('en-US')} events`;
  return round(value).toLocaleString('en-US');
}

/**
 * A consume link's lag in time: how far behind the newest event the group is, at the rate events arrive on
 * the topic now ("412 events ≈ 21 s behind"). Undefined when nothing arrives (the lag is then only a count).
 */
export function lagSeconds(
  snapshot: { links: Record<string, { lag?: number; rate: number }> },
  topology: Pick<Topology, 'links'>,
  linkId: string,
): number | undefined {
  const link = topology.links.find((l) => l.id === linkId);
  const lag = own(snapshot.links, linkId)?.lag;
  if (!link || lag === undefined) return undefined;
  const arriving = topology.links
    .filter((l) => l.kind === 'produce' && l.to === link.from)
    .reduce((sum, l) => sum + (own(snapshot.links, l.id)?.rate ?? 0), 0);
  return arriving > 0 ? lag / arriving : undefined;
}

/** "≈ 21 s behind", or nothing. */
export function behindText(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  return ` ≈ ${seconds < 10 ? round(seconds) : round(seconds, 0)} s behind`;
}

function targetText(condition: Condition, snapshot: unknown, topology: Topology): string {
  const duration = condition.for ? ` for ${parseDuration(condition.for) / 1000} s` : '';
  if (condition.than === undefined)
    return `${condition.op} ${formatMetric(condition.metric, condition.value)}${duration}`;
  const times = condition.times !== undefined && condition.times !== 1 ? `${condition.times} × ` : '';
  const now = formatMetric(condition.metric, conditionTarget(condition, snapshot));
  return `${condition.op} ${times}${describeMetric(condition.than, topology)} (now ${now})${duration}`;
}

/** The live view of every condition of a check, in order. */
export function conditionsLive(
  check: Check,
  state: CheckState,
  snapshot: unknown,
  now: number,
  topology: Topology,
): ConditionLive[] {
  const sequence = 'sequence' in check;
  const conditions = 'all' in check ? check.all : 'any' in check ? check.any : check.sequence;
  return conditions.map((condition, i) => {
    const holds = conditionHolds(condition, snapshot);
    const since = sequence ? (i === state.position ? state.since[0] : undefined) : state.since[i];
    const needMs = condition.for ? parseDuration(condition.for) : 0;
    const heldMs = since === undefined ? 0 : now - since;
    const met = state.done || (sequence ? i < state.position : since !== undefined && heldMs >= needMs);
    const lagLink = /^links\.(.+)\.lag$/.exec(condition.metric)?.[1];
    const behind = lagLink
      ? behindText(lagSeconds(snapshot as Parameters<typeof lagSeconds>[0], topology, lagLink))
      : '';
    return {
      label: condition.label ?? describeMetric(condition.metric, topology),
      value: formatMetric(condition.metric, readMetric(snapshot, condition.metric)) + behind,
      target: targetText(condition, snapshot, topology),
      holds,
      met,
      ...(sequence && i > state.position && !state.done ? { waiting: true } : {}),
      ...(needMs > 0 && holds && !met ? { heldSeconds: round(Math.min(heldMs, needMs) / 1000) } : {}),
    };
  });
}

/**
 * The nodes that suffer in this snapshot, with why: error rate, p99 latency, or the lag of a consume link
 * into them past the prediction's thresholds. The fault's own nodes (the cause) and topics are left out.
 */
export function suffering(
  snapshot: {
    nodes: Record<string, { errorRate: number; p99Ms: number }>;
    links: Record<string, { lag?: number }>;
  },
  topology: Topology,
  prediction: Prediction,
): Map<string, string> {
  const limits = { ...PREDICTION_DEFAULTS, ...prediction };
  const found = new Map<string, string>();
  for (const node of topology.nodes) {
    if (node.kind === 'topic' || prediction.cause.includes(node.id)) continue;
    const live = own(snapshot.nodes, node.id);
    if (!live) continue;
    if (live.errorRate > limits.errorRate)
      found.set(node.id, `error rate ${formatMetric('errorRate', live.errorRate)}`);
    else if (live.p99Ms > limits.p99Ms) found.set(node.id, `p99 ${formatMetric('p99Ms', live.p99Ms)}`);
    else {
      const lag = topology.links
        .filter((l) => l.kind === 'consume' && l.to === node.id)
        .map((l) => own(snapshot.links, l.id)?.lag ?? 0)
        .reduce((a, b) => Math.max(a, b), 0);
      if (lag > limits.lag) found.set(node.id, `lag ${formatMetric('lag', lag)}`);
    }
  }
  return found;
}
