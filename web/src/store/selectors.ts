import { type TopologyDocument, validateTopology } from '@lab/model';
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { flowGraph, type LabNode } from '../canvas/flow';
import { type ProblemMap, problemsByItem } from '../topology/problems';
import { useLab } from './index';
import { kafkaAsSeen } from './live';

/** Every read of the store goes through here, so components re-render only for what they show. */

// Shell and live connection
export const useConnection = () =>
  useLab(useShallow((s) => ({ connection: s.connection, attempt: s.reconnectAttempt })));
export const useKafka = () => useLab((s) => kafkaAsSeen(s.connection, s.snapshot));
export const useServerVersion = () => useLab((s) => s.serverVersion);
export const useTheme = () => useLab(useShallow((s) => ({ theme: s.theme, toggleTheme: s.toggleTheme })));
export const usePresenter = () =>
  useLab(useShallow((s) => ({ presenter: s.presenter, togglePresenter: s.togglePresenter })));

// The topology document and its history
export const useDocName = () => useLab((s) => s.doc.name);
export const useIsEmpty = () => useLab((s) => s.doc.nodes.length === 0 && s.save.status !== 'loading');
export const useEditor = () =>
  useLab(useShallow((s) => ({ edit: s.edit, undo: s.undo, redo: s.redo, importTopology: s.importTopology })));
export const useHistory = () =>
  useLab(useShallow((s) => ({ canUndo: s.past.length > 0, canRedo: s.future.length > 0 })));
export const useSave = () => useLab((s) => s.save);
/** For event handlers that act on the document as it is at that moment (not as it was at the last render). */
export const readDoc = (): TopologyDocument => useLab.getState().doc;
export const readSelection = () => useLab.getState().selection;
export const readMeasured = () => useLab.getState().measured;

const problemCache = new WeakMap<TopologyDocument, ProblemMap>();
/** The browser's own check of the document (the server's answer included when it named a field). */
export const useProblems = (): ProblemMap => {
  const { doc, save } = useLab(useShallow((s) => ({ doc: s.doc, save: s.save })));
  return useMemo(() => {
    let local = problemCache.get(doc);
    if (!local) {
      const check = validateTopology(doc);
      local = problemsByItem(doc, check.ok ? [] : check.problems);
      problemCache.set(doc, local);
    }
    if (save.status !== 'failed' || !save.path) return local;
    const server = problemsByItem(doc, [{ path: save.path, error: save.error }]);
    return {
      document: [...local.document, ...server.document],
      nodes: { ...server.nodes, ...local.nodes },
      links: { ...server.links, ...local.links },
    };
  }, [doc, save]);
};

// The canvas
export const useFlowGraph = () => {
  const inputs = useLab(
    useShallow((s) => ({
      nodes: s.doc.nodes,
      links: s.doc.links,
      selection: s.selection,
      measured: s.measured,
      editable: !s.presenter,
    })),
  );
  const cache = useMemo(() => new Map<string, { key: unknown[]; node: LabNode }>(), []);
  return useMemo(() => flowGraph(inputs, cache), [inputs, cache]);
};
export const useCanvasActions = () =>
  useLab(useShallow((s) => ({ select: s.select, setMeasured: s.setMeasured, notify: s.notify })));
export const useNodeCount = () => useLab((s) => s.doc.nodes.length);
export const useFitRequest = () => useLab((s) => s.fitRequest);
export const useRequestFit = () => useLab((s) => s.requestFit);

// Selection and the inspector
export const useSelection = () => useLab((s) => s.selection);
export const useSelectedItem = () =>
  useLab(
    useShallow((s) => {
      const only = s.selection.nodes.length + s.selection.links.length === 1;
      return {
        node: only ? s.doc.nodes.find((n) => n.id === s.selection.nodes[0]) : undefined,
        link: only ? s.doc.links.find((l) => l.id === s.selection.links[0]) : undefined,
        count: s.selection.nodes.length + s.selection.links.length,
      };
    }),
  );
export const useTopics = () =>
  useLab(useShallow((s) => s.doc.nodes.filter((n) => n.kind === 'topic').map((n) => n.id)));
export const useNodeLabels = () =>
  useLab(useShallow((s) => Object.fromEntries(s.doc.nodes.map((n) => [n.id, n.label ?? n.id]))));

// Live numbers
export const useRunning = () => useLab((s) => s.snapshot?.running ?? false);
export const useStartedAt = () => useLab((s) => s.snapshot?.startedAt);
export const useNodeLive = (id: string) => useLab((s) => s.snapshot?.nodes[id]);
export const useLinkLive = (id: string) => useLab((s) => s.snapshot?.links[id]);
export const useTopicLive = (id: string) => useLab((s) => s.snapshot?.topics[id]);
export const useLog = () => useLab((s) => s.log);
export const useTrend = () => useLab((s) => s.trend);

// Panels and messages
export const useDock = () => useLab(useShallow((s) => ({ tab: s.dockTab, setTab: s.setDockTab })));
export const useTraceFilter = () =>
  useLab(useShallow((s) => ({ traceId: s.traceFilter, setTraceFilter: s.setTraceFilter })));
export const useToasts = () => useLab(useShallow((s) => ({ toasts: s.toasts, dismiss: s.dismiss })));
export const useNotify = () => useLab((s) => s.notify);
export const useRenaming = () => useLab(useShallow((s) => ({ renaming: s.renaming, setRenaming: s.setRenaming })));
export const useLabProgress = () => useLab((s) => s.snapshot?.lab);
export const useGuide = () => useLab(useShallow((s) => ({ open: s.guideOpen, setOpen: s.setGuideOpen })));
