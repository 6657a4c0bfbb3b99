import { describe, expect, it } from 'vitest';
import { initialCheckState } from './check.js';
import { conditionsLive, describeMetric, formatMetric, suffering } from './guide.js';
import { normalizeTopology } from './topology.js';
import { explanationProblems, numbersIn } from './truth.js';

const topology = normalizeTopology({
  version: 1,
  name: 't',
  nodes: [
    { id: 'shop', kind: 'source', label: 'Shop' },
    { id: 'orders.v2', kind: 'topic' },
    { id: 'pay', kind: 'service', label: 'Payments' },
  ],
  links: [
    { id: 'p', kind: 'produce', from: 'shop', to: 'orders.v2' },
    { id: 'c', kind: 'consume', from: 'orders.v2', to: 'pay' },
  ],
});

describe('the guide names metrics in the learner’s words', () => {
  it('with the topology’s labels', () => {
    expect(describeMetric('links.c.lag', topology)).toBe('lag on orders.v2 → Payments');
    expect(describeMetric('nodes.pay.errorRate', topology)).toBe('error rate of Payments');
    expect(describeMetric('topics.orders.v2.groups.pay.missing', topology)).toBe(
      'missing events of Payments on orders.v2',
    );
    expect(describeMetric('flows.shop.p99Ms', topology)).toBe('end-to-end p99 latency from Shop');
    expect(describeMetric('measures.recovery', topology)).toBe('recovery');
    expect(describeMetric('nodes.pay.targetRate', topology)).toBe('set rate of Payments');
  });

  it('with units', () => {
    expect(formatMetric('nodes.pay.errorRate', 0.953)).toBe('95%');
    expect(formatMetric('links.c.lag', 1204)).toBe('1,204 events');
    expect(formatMetric('nodes.pay.p99Ms', 230.4)).toBe('230 ms');
    expect(formatMetric('nodes.pay.inRate', 19.84)).toBe('19.8 ev/s');
    expect(formatMetric('nodes.shop.targetRate', 0)).toBe('0 ev/s');
    expect(formatMetric('nodes.pay.status', undefined)).toBe('—');
  });

  it('lists a sequence with its passed, current and waiting conditions', () => {
    const check = {
      sequence: [
        { metric: 'nodes.pay.status', op: '==' as const, value: 'down' },
        { metric: 'links.c.lag', op: '>' as const, value: 60, for: '2s' },
        { metric: 'links.c.lag', op: '==' as const, value: 0 },
      ],
    };
    const snapshot = { nodes: { pay: { status: 'down' } }, links: { c: { lag: 12 } } };
    const state = { since: [undefined], position: 1, done: false };
    expect(conditionsLive(check, state, snapshot, 0, topology)).toEqual([
      { label: 'status of Payments', value: 'down', target: '== down', holds: true, met: true },
      {
        label: 'lag on orders.v2 → Payments',
        value: '12 events',
        target: '> 60 events for 2 s',
        holds: false,
        met: false,
      },
      {
        label: 'lag on orders.v2 → Payments',
        value: '12 events',
        target: '== 0 events',
        holds: false,
        met: false,
        waiting: true,
      },
    ]);
    expect(conditionsLive(check, initialCheckState(), snapshot, 0, topology)[0]!.met).toBe(false);
  });
});

describe('the measured blast radius', () => {
  it('names the nodes past a threshold, with why, leaving out the cause and topics', () => {
    const snapshot = {
      nodes: {
        shop: { errorRate: 0.6, p99Ms: 10 },
        pay: { errorRate: 0, p99Ms: 10 },
        'orders.v2': { errorRate: 1, p99Ms: 0 },
      },
      links: { c: { lag: 80 } },
    };
    expect(Object.fromEntries(suffering(snapshot, topology, { cause: ['nobody'] }))).toEqual({
      shop: 'error rate 60%',
      pay: 'lag 80 events',
    });
    expect([...suffering(snapshot, topology, { cause: ['pay'], errorRate: 0.7 }).keys()]).toEqual([]);
  });
});

describe('explanations that tell the truth', () => {
  const step = {
    id: 's',
    title: 'S',
    body: '',
    check: { all: [{ metric: 'running', op: '==' as const, value: true }] },
    measures: [
      { name: 'peak', metric: 'links.c.lag', stat: 'max' as const, unit: 'events' },
      { name: 'now', metric: 'nodes.pay.inRate', stat: 'last' as const, unit: 'ev/s' },
    ],
    explain: 'The lag peaked at {{peak}}; Payments handles {{now}}.',
  };
  const snapshot = { links: { c: { lag: 432 } }, nodes: { pay: { inRate: 20 } } };

  it('agree with the snapshot they came from', () => {
    const explanation = 'The lag peaked at 432 events; Payments handles 20 ev/s.';
    expect(explanationProblems(step, { explanation, values: { peak: 432, now: 20 } }, snapshot)).toEqual([]);
  });

  it('are caught when a number was frozen too early or does not match the text', () => {
    const explanation = 'The lag peaked at 101 events; Payments handles 20 ev/s.';
    expect(explanationProblems(step, { explanation, values: { peak: 101, now: 20 } }, snapshot)).toEqual([
      '{{peak}} (max of links.c.lag) says 101, below the snapshot’s 432'.replace('’', "'"),
    ]);
    expect(explanationProblems(step, { explanation, values: { peak: 432, now: 20 } }, snapshot)).toEqual([
      'the explanation does not show the measured values {"peak":432,"now":20}',
    ]);
  });

  it('finds the numbers of a rendered text', () => {
    expect(numbersIn('a backlog of 1,204 events at 95.3%, 2 s')).toEqual(['1,204', '95.3', '2']);
  });
});
