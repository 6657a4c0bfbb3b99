import { describe, expect, it } from 'vitest';
import { DeliveryLedger } from './ledger.js';

describe('DeliveryLedger', () => {
  it('finds events a group has not processed and counts redeliveries as duplicates', () => {
    const ledger = new DeliveryLedger();
    ledger.recordProduced('orders', ['a', 'b', 'c']);
    ledger.recordProcessed('orders', 'billing', ['a', 'b']);
    ledger.recordProcessed('orders', 'billing', ['b']);
    expect(ledger.missing('orders', 'billing')).toEqual({ count: 1, sample: ['c'], tracked: true });
    expect(ledger.duplicatesOf('orders', 'billing')).toBe(1);
    expect(ledger.missing('orders', 'shipping').count).toBe(3);
    expect(ledger.missingCount('orders', 'billing')).toBe(1);
    expect(ledger.missingCount('orders', 'shipping')).toBe(3);
  });

  it('counts an event processed before its acknowledgement was recorded', () => {
    const ledger = new DeliveryLedger();
    ledger.recordProcessed('orders', 'billing', ['a']);
    expect(ledger.missingCount('orders', 'billing')).toBe(0);
    ledger.recordProduced('orders', ['a', 'b']);
    expect(ledger.missingCount('orders', 'billing')).toBe(1);
  });

  it('stops tracking past its cap and says so', () => {
    const ledger = new DeliveryLedger(2);
    ledger.recordProduced('t', ['a', 'b', 'c']);
    expect(ledger.producedCount('t')).toBe(2);
    expect(ledger.missing('t', 'g').tracked).toBe(false);
  });
});
