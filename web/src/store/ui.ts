import type { StateCreator } from 'zustand';

export type Theme = 'light' | 'dark';
export type DockTab = 'log' | 'messages' | 'charts';
/** While a lab is open, the side column shows the guide or the inspector. */
export type SideTab = 'guide' | 'inspector';
export type Tone = 'info' | 'error';
export interface Toast {
  id: number;
  tone: Tone;
  text: string;
}
export interface Selection {
  nodes: string[];
  links: string[];
}
export type Size = { width: number; height: number };

export interface UiSlice {
  theme: Theme;
  toggleTheme: () => void;
  /** Large type, high contrast, no editing chrome: for a projector. */
  presenter: boolean;
  togglePresenter: () => void;
  /** The instructor shows an attendee's lab on the projector: live, and nothing can be changed. */
  spotlight: boolean;
  /** The lab guide beside the canvas, in place of the inspector. */
  guideOpen: boolean;
  setGuideOpen: (open: boolean) => void;
  sideTab: SideTab;
  setSideTab: (tab: SideTab) => void;
  /** Predict-then-observe: the nodes the learner marked on the canvas, while marking is on. */
  predicting: boolean;
  marked: string[];
  setPredicting: (on: boolean) => void;
  toggleMark: (id: string) => void;
  /** The journey shown on the canvas: its nodes and links are highlighted. */
  journeyPath: { nodes: string[]; links: string[] } | undefined;
  setJourneyPath: (path: { nodes: string[]; links: string[] } | undefined) => void;
  selection: Selection;
  select: (selection: Partial<Selection>) => void;
  /** Node sizes React Flow measured; kept here because the nodes it draws are rebuilt from the document. */
  measured: Record<string, Size>;
  setMeasured: (sizes: ReadonlyMap<string, Size>) => void;
  /** The node whose label is being edited in place (double-click or F2). */
  renaming: string | undefined;
  setRenaming: (id: string | undefined) => void;
  /** Bumped when a whole topology arrives (loaded, example, import, share link): the canvas fits it in view. */
  fitRequest: number;
  requestFit: () => void;
  dockTab: DockTab;
  setDockTab: (tab: DockTab) => void;
  /** The dock's panel height in px, as the user dragged it (kept across reloads). */
  dockHeight: number;
  setDockHeight: (px: number) => void;
  /** The message browser's trace filter; set from anywhere a trace id shows. */
  traceFilter: string | undefined;
  setTraceFilter: (traceId: string | undefined) => void;
  toasts: Toast[];
  notify: (text: string, tone?: Tone) => void;
  dismiss: (id: number) => void;
}

/** The selection without the ids the document no longer has; the same object when nothing went. */
export function selectionWithin(
  selection: Selection,
  doc: { nodes: readonly { id: string }[]; links: readonly { id: string }[] },
): Selection {
  const nodeIds = new Set(doc.nodes.map((n) => n.id));
  const linkIds = new Set(doc.links.map((l) => l.id));
  const nodes = selection.nodes.filter((id) => nodeIds.has(id));
  const links = selection.links.filter((id) => linkIds.has(id));
  if (nodes.length === selection.nodes.length && links.length === selection.links.length) return selection;
  return { nodes, links };
}

const THEME_KEY = 'lab.theme';
const DOCK_KEY = 'lab.dockHeight';
/** The dock's panel: at least a few log lines, at most most of the window. */
export const DOCK_HEIGHT = { min: 80, initial: 150, maxShare: 0.7 };

export function clampDockHeight(px: number, windowHeight: number): number {
  const max = Math.max(DOCK_HEIGHT.min, Math.round(windowHeight * DOCK_HEIGHT.maxShare));
  return Math.round(Math.min(max, Math.max(DOCK_HEIGHT.min, Number.isFinite(px) ? px : DOCK_HEIGHT.initial)));
}

function initialDockHeight(): number {
  const saved = Number(globalThis.localStorage?.getItem(DOCK_KEY) ?? Number.NaN);
  return clampDockHeight(saved, globalThis.innerHeight ?? 720);
}
const TOAST_MS = 7000;
let toastSeq = 0;

function initialTheme(): Theme {
  const saved = globalThis.localStorage?.getItem(THEME_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const createUiSlice: StateCreator<UiSlice, [], [], UiSlice> = (set, get) => ({
  theme: initialTheme(),
  toggleTheme: () => {
    const theme = get().theme === 'dark' ? 'light' : 'dark';
    globalThis.localStorage?.setItem(THEME_KEY, theme);
    set({ theme });
  },
  presenter: false,
  spotlight: false,
  togglePresenter: () => set({ presenter: !get().presenter }),
  guideOpen: false,
  setGuideOpen: (guideOpen) => set({ guideOpen, sideTab: 'guide' }),
  sideTab: 'guide',
  setSideTab: (sideTab) => set({ sideTab }),
  predicting: false,
  marked: [],
  setPredicting: (predicting) => set({ predicting, marked: predicting ? get().marked : [] }),
  toggleMark: (id) => {
    const marked = get().marked;
    set({ marked: marked.includes(id) ? marked.filter((m) => m !== id) : [...marked, id] });
  },
  journeyPath: undefined,
  setJourneyPath: (journeyPath) => set({ journeyPath }),
  selection: { nodes: [], links: [] },
  select: (selection) => set({ selection: { nodes: [], links: [], ...selection } }),
  measured: {},
  setMeasured: (sizes) => {
    if (sizes.size) set({ measured: { ...get().measured, ...Object.fromEntries(sizes) } });
  },
  renaming: undefined,
  setRenaming: (renaming) => set({ renaming }),
  fitRequest: 0,
  requestFit: () => set({ fitRequest: get().fitRequest + 1 }),
  dockTab: 'log',
  setDockTab: (dockTab) => set({ dockTab }),
  dockHeight: initialDockHeight(),
  setDockHeight: (px) => {
    const dockHeight = clampDockHeight(px, globalThis.innerHeight ?? 720);
    globalThis.localStorage?.setItem(DOCK_KEY, String(dockHeight));
    set({ dockHeight });
  },
  traceFilter: undefined,
  setTraceFilter: (traceFilter) => set(traceFilter ? { traceFilter, dockTab: 'messages' } : { traceFilter }),
  toasts: [],
  notify: (text, tone = 'info') => {
    const id = ++toastSeq;
    // One toast per message: a refused connection tried twice should not stack up.
    set({ toasts: [...get().toasts.filter((t) => t.text !== text), { id, tone, text }].slice(-4) });
    setTimeout(() => get().dismiss(id), TOAST_MS);
  },
  dismiss: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
});
