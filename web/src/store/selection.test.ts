import { describe, expect, it } from 'vitest';
import { addNode } from '../topology/edits';
import { EXAMPLE_TOPOLOGY } from '../topology/example';
import { EMPTY_DOCUMENT } from '../topology/types';
import { useLab } from './index';

describe('the selection follows the document', () => {
  it('drops nodes and links a replaced document no longer has, keeps the rest', () => {
    const store = useLab;
    store.getState().loadSaved(EXAMPLE_TOPOLOGY);
    const [a, b] = EXAMPLE_TOPOLOGY.nodes;
    const link = EXAMPLE_TOPOLOGY.links[0]!;
    store.getState().select({ nodes: [a!.id, b!.id], links: [link.id] });
    store.getState().setRenaming(a!.id);

    store.getState().edit((doc) => ({ ...doc, nodes: doc.nodes.filter((n) => n.id !== a!.id), links: [] }));
    expect(store.getState().selection).toEqual({ nodes: [b!.id], links: [] });
    expect(store.getState().renaming).toBeUndefined();

    store.getState().edit(() => EMPTY_DOCUMENT);
    expect(store.getState().selection).toEqual({ nodes: [], links: [] });
  });

  it('leaves the selection object alone when nothing it names went away', () => {
    const store = useLab;
    store.getState().loadSaved(EXAMPLE_TOPOLOGY);
    store.getState().select({ nodes: [EXAMPLE_TOPOLOGY.nodes[0]!.id] });
    const before = store.getState().selection;
    store.getState().edit((doc) => addNode(doc, 'topic', { x: 0, y: 0 }).doc);
    expect(store.getState().selection).toBe(before);
  });
});
