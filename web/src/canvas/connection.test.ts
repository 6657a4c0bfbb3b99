import type { TopologyDocument } from '@lab/model';
import { describe, expect, it } from 'vitest';
import { inferLink, linkKindFor } from './connection';

const doc: TopologyDocument = {
  version: 1,
  name: 't',
  nodes: [
    { id: 'shop', kind: 'source' },
    { id: 'orders', kind: 'topic' },
    { id: 'audit', kind: 'topic' },
    { id: 'billing', kind: 'service', label: 'Billing' },
    { id: 'ledger', kind: 'service' },
  ],
  links: [{ id: 'l1', kind: 'call', from: 'billing', to: 'ledger' }],
};

describe('linkKindFor', () => {
  it('infers produce, consume and call from the ends', () => {
    expect(linkKindFor('source', 'topic')).toBe('produce');
    expect(linkKindFor('service', 'topic')).toBe('produce');
    expect(linkKindFor('topic', 'service')).toBe('consume');
    expect(linkKindFor('source', 'service')).toBe('call');
    expect(linkKindFor('service', 'service')).toBe('call');
  });

  it('has no kind for links into a source or between topics', () => {
    expect(linkKindFor('topic', 'topic')).toBeUndefined();
    expect(linkKindFor('service', 'source')).toBeUndefined();
    expect(linkKindFor('topic', 'source')).toBeUndefined();
    expect(linkKindFor('source', 'source')).toBeUndefined();
  });
});

describe('inferLink', () => {
  it('returns the link to add', () => {
    expect(inferLink(doc, 'shop', 'orders')).toEqual({
      ok: true,
      link: { kind: 'produce', from: 'shop', to: 'orders' },
    });
    expect(inferLink(doc, 'orders', 'billing')).toEqual({
      ok: true,
      link: { kind: 'consume', from: 'orders', to: 'billing' },
    });
  });

  it('refuses topic to topic with the rules that would fit', () => {
    const result = inferLink(doc, 'orders', 'audit');
    expect(result).toEqual({
      ok: false,
      reason:
        'A topic cannot link to a topic: put a service between them (a service consumes from a topic, and a source or service produces to a topic).',
    });
  });

  it('refuses links into a source', () => {
    const result = inferLink(doc, 'billing', 'shop');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^A service cannot link to a source: a source only starts links/);
  });

  it('refuses a node linked to itself, a second link of the same kind, and REST cycles', () => {
    expect(inferLink(doc, 'billing', 'billing')).toEqual({ ok: false, reason: '"Billing" cannot link to itself.' });
    expect(inferLink(doc, 'billing', 'ledger')).toEqual({
      ok: false,
      reason: '"Billing" already has a call link to "ledger".',
    });
    expect(inferLink(doc, 'ledger', 'billing')).toEqual({
      ok: false,
      reason: 'These REST calls would form a cycle (billing → ledger → billing): every request would wait on itself.',
    });
  });
});
