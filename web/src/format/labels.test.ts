import { describe, expect, it } from 'vitest';
import { withLabels } from './labels';

const LABELS = { billing: 'Billing', 'orders-api': 'Orders API', orders: 'Orders (topic)', same: 'same' };

describe('withLabels', () => {
  it('names nodes by their labels where their ids stand as words', () => {
    expect(withLabels('billing crashed (billing-1): its callers get errors', LABELS)).toBe(
      'Billing crashed (billing-1): its callers get errors',
    );
    expect(withLabels('orders-api hangs; orders grows', LABELS)).toBe('Orders API hangs; Orders (topic) grows');
  });

  it('leaves ids inside other words, and text without ids, alone', () => {
    expect(withLabels('lab.orders [0, 1]; rebilling; billing-2 owns it', LABELS)).toBe(
      'lab.orders [0, 1]; rebilling; billing-2 owns it',
    );
    expect(withLabels('Run started', {})).toBe('Run started');
  });
});
