import { describe, expect, it } from 'vitest';
import { addLink, addNode, duplicateNodes, removeItems, uniqueId, updateLink, updateNode } from './edits';
import { EXAMPLE_TOPOLOGY } from './example';

describe('topology edits', () => {
  it('names new nodes and links with the first free id', () => {
    expect(uniqueId('topic', new Set(['topic-1', 'topic-3']))).toBe('topic-2');
    const { doc, id } = addNode(EXAMPLE_TOPOLOGY, 'service', { x: 1, y: 2 });
    expect(id).toBe('service-1');
    expect(addLink(doc, { kind: 'call', from: 'billing', to: id }).id).toBe('link-1');
  });

  it('removes a node with its links', () => {
    const doc = removeItems(EXAMPLE_TOPOLOGY, { nodes: ['billing'] });
    expect(doc.nodes.some((n) => n.id === 'billing')).toBe(false);
    expect(doc.links.map((l) => l.id)).toEqual([
      'shop-orders',
      'invoices-mailer',
      'checkout-payments',
      'payments-fraud',
    ]);
  });

  it('duplicates nodes beside the originals with the links among them', () => {
    const { doc, ids } = duplicateNodes(EXAMPLE_TOPOLOGY, ['payments', 'fraud']);
    expect(ids).toEqual(['payments-1', 'fraud-1']);
    const original = EXAMPLE_TOPOLOGY.nodes.find((n) => n.id === 'fraud')!.position!;
    expect(doc.nodes.find((n) => n.id === 'fraud-1')).toMatchObject({
      label: 'Fraud check copy',
      position: { x: original.x + 40, y: original.y + 40 },
    });
    expect(doc.links.at(-1)).toEqual({ id: 'link-1', kind: 'call', from: 'payments-1', to: 'fraud-1', timeoutMs: 500 });
  });

  it('updates fields, drops ones set to undefined, and carries links along when an id changes', () => {
    let doc = updateNode(EXAMPLE_TOPOLOGY, 'orders', { partitions: undefined, label: 'Orders' });
    const orders = doc.nodes.find((n) => n.id === 'orders')!;
    expect(orders).toMatchObject({ id: 'orders', kind: 'topic', label: 'Orders' });
    expect('partitions' in orders).toBe(false);
    doc = updateNode(doc, 'orders', { id: 'orders-v2' });
    expect(doc.links.filter((l) => l.from === 'orders-v2' || l.to === 'orders-v2').map((l) => l.id)).toEqual([
      'shop-orders',
      'orders-billing',
    ]);
    doc = updateLink(doc, 'payments-fraud', { retries: 2 });
    expect(doc.links.find((l) => l.id === 'payments-fraud')).toMatchObject({ retries: 2, timeoutMs: 500 });
  });
});
