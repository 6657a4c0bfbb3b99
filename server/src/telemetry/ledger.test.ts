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

  it('puts every acknowledged event in exactly one of processed, dead-lettered, lost or pending', () => {
    const ledger = new DeliveryLedger();
    ledger.recordProduced('orders', ['a', 'b', 'c', 'd', 'e']);
    ledger.record('orders', 'billing', 'processed', ['a']);
    ledger.record('orders', 'billing', 'deadLettered', ['b', 'c']);
    ledger.record('orders', 'billing', 'lost', ['d']);
    expect(ledger.account('orders', 'billing')).toEqual({ processed: 1, deadLettered: 2, lost: 1, pending: 1 });
    expect(ledger.sampleOf('orders', 'billing', 'lost')).toEqual(['d']);
    // Redriven and processed: it moves from dead-lettered to processed, and is not a duplicate.
    ledger.record('orders', 'billing', 'processed', ['b']);
    expect(ledger.account('orders', 'billing')).toEqual({ processed: 2, deadLettered: 1, lost: 1, pending: 1 });
    expect(ledger.duplicatesOf('orders', 'billing')).toBe(0);
    // Once processed, a redelivered copy that fails does not undo it; one processed again is a duplicate.
    ledger.record('orders', 'billing', 'lost', ['a']);
    ledger.record('orders', 'billing', 'processed', ['a']);
    expect(ledger.account('orders', 'billing')).toEqual({ processed: 2, deadLettered: 1, lost: 1, pending: 1 });
    expect(ledger.duplicatesOf('orders', 'billing')).toBe(1);
    expect(ledger.hasProcessed('orders', 'billing', 'a')).toBe(true);
    expect(ledger.hasProcessed('orders', 'billing', 'c')).toBe(false);
  });

  it('counts outcomes recorded before the acknowledgement once it arrives', () => {
    const ledger = new DeliveryLedger();
    ledger.record('orders', 'billing', 'lost', ['a']);
    expect(ledger.account('orders', 'billing')).toEqual({ processed: 0, deadLettered: 0, lost: 0, pending: 0 });
    ledger.recordProduced('orders', ['a']);
    expect(ledger.account('orders', 'billing')).toEqual({ processed: 0, deadLettered: 0, lost: 1, pending: 0 });
  });

  it('stops tracking past its cap and says so', () => {
    const ledger = new DeliveryLedger(2);
    ledger.recordProduced('t', ['a', 'b', 'c']);
    expect(ledger.producedCount('t')).toBe(2);
    expect(ledger.missing('t', 'g').tracked).toBe(false);
  });
});
