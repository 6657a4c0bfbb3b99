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
  /** The message browser's trace filter; set from anywhere a trace id shows. */
  traceFilter: string | undefined;
  setTraceFilter: (traceId: string | undefined) => void;
  toasts: Toast[];
  notify: (text: string, tone?: Tone) => void;
  dismiss: (id: number) => void;
}

const THEME_KEY = 'lab.theme';
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
