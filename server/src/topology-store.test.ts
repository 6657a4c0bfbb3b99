import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Topology } from '@lab/model';
import { describe, expect, it } from 'vitest';
import { TopologyStore } from './topology-store.js';

const doc = (name: string): Topology => ({
  version: 1,
  name,
  nodes: [{ id: 'orders', kind: 'topic', partitions: 3, label: 'orders', position: { x: 0, y: 0 } }],
  links: [],
});

describe('TopologyStore.save', () => {
  it('writes compact JSON, asynchronously: the event loop turns while it saves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    const store = new TopologyStore(dir, 'p.');
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    const saving = store.save(doc('compact'));
    expect(turned).toBe(false);
    await saving;
    expect(turned).toBe(true);
    const text = readFileSync(store.path, 'utf8');
    expect(text).toBe(`${JSON.stringify(doc('compact'))}\n`);
    expect(store.load().topology.name).toBe('compact');
  });

  it('saves one at a time in order: the last one wins and no temporary file is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    const store = new TopologyStore(dir, 'p.');
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.save(doc(`v${i}`))));
    expect(store.load().topology.name).toBe('v19');
    expect(readdirSync(dir)).toEqual(['topology.json']);
  });

  it('a save that cannot be written rejects and leaves the saved document as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    const store = new TopologyStore(dir, 'p.');
    await store.save(doc('kept'));
    const broken = new TopologyStore(join(store.path, 'not-a-dir'), 'p.');
    await expect(broken.save(doc('lost'))).rejects.toThrow();
    expect(store.load().topology.name).toBe('kept');
    expect(readdirSync(dir)).toEqual(['topology.json']);
  });
});
