import type { Behavior } from '@lab/model';
import { describe, expect, it } from 'vitest';
import { BehaviorState } from './behavior.js';
import { newFlowEvent } from './event.js';

const event = (payload: Record<string, unknown>) => newFlowEvent('s', 'card-used', payload, null);

describe('declarative service behaviors', () => {
  it('filter keeps only the events matching its condition', () => {
    const state = new BehaviorState();
    const big: Behavior = { kind: 'filter', field: 'amount', op: '>=', value: 100 };
    expect(state.decide(big, event({ amount: 150 }))).toEqual({ emit: 'all' });
    expect(state.decide(big, event({ amount: 20 }))).toEqual({ emit: 'none', why: 'filtered' });
    expect(state.decide(big, event({}))).toEqual({ emit: 'none', why: 'filtered' });
    const eu: Behavior = { kind: 'filter', field: 'region', op: '==', value: 'eu' };
    expect(state.decide(eu, event({ region: 'eu' })).emit).toBe('all');
    expect(state.decide(eu, event({ region: 'us' })).emit).toBe('none');
  });

  it('route sends an event to the topic of its field value, or otherwise, or nowhere', () => {
    const state = new BehaviorState();
    const route: Behavior = { kind: 'route', field: 'region', routes: { eu: 'orders-eu', us: 'orders-us' } };
    expect(state.decide(route, event({ region: 'eu' }))).toEqual({ emit: 'topics', topics: new Set(['orders-eu']) });
    expect(state.decide(route, event({ region: 'asia' }))).toEqual({ emit: 'none', why: 'unrouted' });
    expect(state.decide({ ...route, otherwise: 'orders-rest' }, event({ region: 'asia' }))).toEqual({
      emit: 'topics',
      topics: new Set(['orders-rest']),
    });
  });

  it('window alerts once when one key reaches the threshold within the window, and forgets what fell out', () => {
    const state = new BehaviorState();
    const fraud: Behavior = { kind: 'window', key: 'card', windowMs: 10_000, threshold: 3, alertType: 'fraud-alert' };
    expect(state.decide(fraud, event({ card: 'A' }), 0).emit).toBe('none');
    expect(state.decide(fraud, event({ card: 'B' }), 1_000).emit).toBe('none');
    expect(state.decide(fraud, event({ card: 'A' }), 2_000).emit).toBe('none');
    expect(state.decide(fraud, event({ card: 'A' }), 3_000)).toEqual({
      emit: 'alert',
      type: 'fraud-alert',
      payload: { card: 'A', count: 3, events: 3, withinMs: 3_000 },
    });
    // The window starts over after an alert; uses older than 10 s no longer count.
    expect(state.decide(fraud, event({ card: 'A' }), 4_000).emit).toBe('none');
    expect(state.decide(fraud, event({ card: 'B' }), 12_000).emit).toBe('none');
    expect(state.decide(fraud, event({ card: 'B' }), 13_000).emit).toBe('none');
    const sum: Behavior = { kind: 'window', key: 'card', windowMs: 1_000, threshold: 500, sum: 'amount' };
    expect(state.decide(sum, event({ card: 'C', amount: 300 }), 0).emit).toBe('none');
    expect(state.decide(sum, event({ card: 'C', amount: 250 }), 500)).toMatchObject({
      emit: 'alert',
      payload: { card: 'C', sum_amount: 550 },
    });
  });

  it('view keeps the latest event per key', () => {
    const state = new BehaviorState();
    const view: Behavior = { kind: 'view', key: 'orderId' };
    state.decide(view, event({ orderId: 1, status: 'new' }));
    state.decide(view, event({ orderId: 2, status: 'new' }));
    expect(state.decide(view, event({ orderId: 1, status: 'paid' }))).toEqual({ emit: 'none', why: 'stored' });
    expect(state.view.size).toBe(2);
    expect(state.view.get('1')).toEqual({ orderId: 1, status: 'paid' });
  });
});
