import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { addNode, moveNodes, removeItems } from '../topology/edits';
import { EXAMPLE_TOPOLOGY } from '../topology/example';
import { createTopologySlice, HISTORY_LIMIT, type TopologySlice } from './topology';

const newStore = () => createStore<TopologySlice>()(createTopologySlice);

describe('topology slice', () => {
  it('records edits, undoes and redoes them, and counts each as a change to save', () => {
    const store = newStore();
    const { edit } = store.getState();
    edit((doc) => addNode(doc, 'source', { x: 10.4, y: 20.6 }).doc);
    edit((doc) => addNode(doc, 'topic', { x: 200, y: 20 }).doc);
    expect(store.getState().doc.nodes.map((n) => n.id)).toEqual(['source-1', 'topic-1']);
    expect(store.getState().doc.nodes[0]).toEqual({
      id: 'source-1',
      kind: 'source',
      label: 'Source 1',
      position: { x: 10, y: 21 },
    });

    store.getState().undo();
    expect(store.getState().doc.nodes.map((n) => n.id)).toEqual(['source-1']);
    store.getState().redo();
    expect(store.getState().doc.nodes.map((n) => n.id)).toEqual(['source-1', 'topic-1']);
    expect(store.getState().revision).toBe(4);
  });

  it('forgets what was undone once a new edit is made', () => {
    const store = newStore();
    store.getState().edit((doc) => addNode(doc, 'service', { x: 0, y: 0 }).doc);
    store.getState().undo();
    store.getState().edit((doc) => addNode(doc, 'topic', { x: 0, y: 0 }).doc);
    expect(store.getState().future).toEqual([]);
    store.getState().redo();
    expect(store.getState().doc.nodes.map((n) => n.id)).toEqual(['topic-1']);
  });

  it('keeps at most HISTORY_LIMIT undo steps and ignores undo and redo past either end', () => {
    const store = newStore();
    store.getState().undo();
    store.getState().redo();
    expect(store.getState().revision).toBe(0);
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) store.getState().edit((doc) => ({ ...doc, name: `v${i}` }));
    expect(store.getState().past).toHaveLength(HISTORY_LIMIT);
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) store.getState().undo();
    expect(store.getState().doc.name).toBe('v19');
    expect(store.getState().future).toHaveLength(HISTORY_LIMIT);
  });

  it('makes one undo step of a drag (edits with the same coalesce key in a row)', () => {
    const store = newStore();
    store.getState().edit((doc) => addNode(doc, 'topic', { x: 0, y: 0 }).doc);
    for (const x of [10, 20, 30]) {
      store.getState().edit((doc) => moveNodes(doc, new Map([['topic-1', { x, y: 0 }]])), { coalesce: 'drag-1' });
    }
    expect(store.getState().past).toHaveLength(2);
    store.getState().undo();
    expect(store.getState().doc.nodes[0]!.position).toEqual({ x: 0, y: 0 });
  });

  it('does not record an edit that changes nothing', () => {
    const store = newStore();
    store.getState().edit((doc) => removeItems(doc, { nodes: ['nope'] }));
    expect(store.getState().past).toEqual([]);
  });

  it('loads the saved copy without an undo step or a change to save', () => {
    const store = newStore();
    store.getState().loadSaved(EXAMPLE_TOPOLOGY);
    expect(store.getState()).toMatchObject({ doc: EXAMPLE_TOPOLOGY, past: [], revision: 0, save: { status: 'saved' } });
  });

  it('imports a valid file as one undoable edit', () => {
    const store = newStore();
    const result = store.getState().importTopology(JSON.stringify(EXAMPLE_TOPOLOGY));
    expect(result.ok).toBe(true);
    expect(store.getState().doc).toEqual(EXAMPLE_TOPOLOGY);
    store.getState().undo();
    expect(store.getState().doc.nodes).toEqual([]);
  });

  it('refuses a bad file with its problems and changes nothing', () => {
    const store = newStore();
    store.getState().loadSaved(EXAMPLE_TOPOLOGY);
    const before = store.getState();

    const notJson = store.getState().importTopology('{ nodes: ');
    expect(notJson).toMatchObject({ ok: false, problems: [{ path: '' }] });
    if (!notJson.ok) expect(notJson.problems[0]!.error).toMatch(/^the file is not JSON/);

    const bad = { ...EXAMPLE_TOPOLOGY, nodes: [...EXAMPLE_TOPOLOGY.nodes, { id: 'x', kind: 'topic', partitions: 99 }] };
    expect(store.getState().importTopology(JSON.stringify(bad))).toEqual({
      ok: false,
      problems: [{ path: 'nodes.8.partitions', error: 'nodes.8.partitions must be <= 12' }],
    });
    expect(store.getState().doc).toBe(before.doc);
    expect(store.getState().revision).toBe(before.revision);
  });
});
