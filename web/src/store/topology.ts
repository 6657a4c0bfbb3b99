import type { TopologyDocument } from '@lab/model';
import type { StateCreator } from 'zustand';
import { type Parsed, parseTopology } from '../topology/file';
import { EMPTY_DOCUMENT } from '../topology/types';

/** How the document stands against the server's copy. */
export type SaveState =
  | { status: 'loading' | 'saved' | 'pending' | 'saving' }
  /** The browser's own check found a problem: nothing was sent. */
  | { status: 'invalid'; error: string; path: string }
  /** The server refused (400 { error, path }) or could not be reached. */
  | { status: 'failed'; error: string; path?: string };

/** Undo steps kept: enough for a workshop session, bounded so a long one cannot grow without end. */
export const HISTORY_LIMIT = 100;

export interface TopologySlice {
  /** The document as saved on the server: what the user draws. */
  doc: TopologyDocument;
  past: TopologyDocument[];
  future: TopologyDocument[];
  /** Counts changes to save. Loading the server's own copy is not one, so it is never sent back. */
  revision: number;
  /** Edits with the same key in a row (one drag, one slider move) are one undo step. */
  coalesceKey: string | undefined;
  save: SaveState;
  edit: (change: (doc: TopologyDocument) => TopologyDocument, options?: { coalesce?: string }) => void;
  undo: () => void;
  redo: () => void;
  /** The server's saved copy: replaces the document without an undo step or a save. */
  loadSaved: (doc: TopologyDocument) => void;
  /** A file's text: replaces the document (one undo step) only when it is a valid topology. */
  importTopology: (text: string) => Parsed;
  setSave: (save: SaveState) => void;
}

export const createTopologySlice: StateCreator<TopologySlice, [], [], TopologySlice> = (set, get) => ({
  doc: EMPTY_DOCUMENT,
  past: [],
  future: [],
  revision: 0,
  coalesceKey: undefined,
  save: { status: 'loading' },
  edit: (change, options) => {
    const { doc, past, coalesceKey, revision } = get();
    const next = change(doc);
    if (next === doc) return;
    const merge = options?.coalesce !== undefined && options.coalesce === coalesceKey;
    set({
      doc: next,
      past: merge ? past : [...past, doc].slice(-HISTORY_LIMIT),
      future: [],
      coalesceKey: options?.coalesce,
      revision: revision + 1,
    });
  },
  undo: () => {
    const { doc, past, future, revision } = get();
    const previous = past.at(-1);
    if (!previous) return;
    set({
      doc: previous,
      past: past.slice(0, -1),
      future: [doc, ...future],
      coalesceKey: undefined,
      revision: revision + 1,
    });
  },
  redo: () => {
    const { doc, past, future, revision } = get();
    const next = future[0];
    if (!next) return;
    set({ doc: next, past: [...past, doc], future: future.slice(1), coalesceKey: undefined, revision: revision + 1 });
  },
  loadSaved: (doc) => set({ doc, past: [], future: [], coalesceKey: undefined, save: { status: 'saved' } }),
  importTopology: (text) => {
    const parsed = parseTopology(text);
    if (parsed.ok) get().edit(() => parsed.doc);
    return parsed;
  },
  setSave: (save) => set({ save }),
});
