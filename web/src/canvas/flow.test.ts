import { describe, expect, it } from 'vitest';
import { EXAMPLE_TOPOLOGY } from '../topology/example';
import { flowGraph, type LabNode } from './flow';

const inputs = {
  nodes: EXAMPLE_TOPOLOGY.nodes,
  links: EXAMPLE_TOPOLOGY.links,
  selection: { nodes: ['billing'], links: ['payments-fraud'] },
  measured: { billing: { width: 180, height: 120 } },
  editable: true,
};

describe('flowGraph', () => {
  it('draws every node by its kind and every link as async or call', () => {
    const { nodes, edges } = flowGraph(inputs, new Map());
    expect(nodes.map((n) => n.type)).toEqual(EXAMPLE_TOPOLOGY.nodes.map((n) => n.kind));
    expect(nodes.find((n) => n.id === 'billing')).toMatchObject({
      selected: true,
      measured: { width: 180, height: 120 },
    });
    expect(edges.map((e) => e.type)).toEqual(['async', 'async', 'async', 'async', 'call', 'call']);
    expect(edges.find((e) => e.id === 'payments-fraud')?.selected).toBe(true);
  });

  it('keeps the same node object while its inputs are unchanged (React Flow keeps its measurements then)', () => {
    const cache = new Map<string, { key: unknown[]; node: LabNode }>();
    const first = flowGraph(inputs, cache).nodes;
    const moved = inputs.nodes.map((n) => (n.id === 'shop' ? { ...n, position: { x: 5, y: 5 } } : n));
    const second = flowGraph({ ...inputs, nodes: moved }, cache).nodes;
    expect(second.find((n) => n.id === 'billing')).toBe(first.find((n) => n.id === 'billing'));
    expect(second.find((n) => n.id === 'shop')).not.toBe(first.find((n) => n.id === 'shop'));
  });

  it('draws a dead-letter topic under its topic once it holds events, with a dashed link from the service', () => {
    expect(flowGraph(inputs, new Map()).nodes.some((n) => n.id.endsWith('.dlq'))).toBe(false);
    const { nodes, edges } = flowGraph({ ...inputs, filledDeadLetters: ['orders.dlq'] }, new Map());
    const orders = nodes.find((n) => n.id === 'orders')!;
    const dlq = nodes.find((n) => n.id === 'orders.dlq')!;
    expect(dlq).toMatchObject({ type: 'topic', data: { deadLetterOf: 'orders' }, draggable: false, deletable: false });
    expect(dlq.position).toEqual({ x: orders.position.x, y: orders.position.y + 150 });
    const parked = edges.filter((e) => e.target === 'orders.dlq');
    expect(parked.length).toBeGreaterThan(0);
    expect(parked.every((e) => e.data?.deadLetter && e.selectable === false)).toBe(true);
  });

  it('locks nodes and links in presenter mode', () => {
    const { nodes, edges } = flowGraph({ ...inputs, editable: false }, new Map());
    expect(nodes.every((n) => n.draggable === false && n.connectable === false && n.deletable === false)).toBe(true);
    expect(edges.every((e) => e.deletable === false)).toBe(true);
  });
});
