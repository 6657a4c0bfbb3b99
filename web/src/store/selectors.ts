import {
  behindText,
  builtAgainst,
  idRecord,
  lagSeconds,
  type NodeLive,
  own,
  type Snapshot,
  type Topology,
  type TopologyDocument,
  validateTopology,
} from '@lab/model';
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { type CallState, callState, failedShare } from '../format/callState';
import { fmtCount, fmtMs, fmtRate, fmtShare } from '../format/numbers';
import type { Detail } from '../geometry/detail';
import { dotsForRate } from '../geometry/dots';
import { groupAccounts, topicLanes } from '../geometry/lanes';
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
/** Ids of dead-letter topics holding events, as one string so an unchanged set compares equal. */
const filledKey = (topics: Snapshot['topics'] | undefined) =>
  Object.entries(topics ?? {})
    .filter(([id, t]) => id.endsWith('.dlq') && t.endOffsets.some((e) => e > 0))
    .map(([id]) => id)
    .join('\n');
let lastFilled: { key: string; ids: string[] } = { key: '', ids: [] };
function filledDeadLetters(topics: Snapshot['topics'] | undefined): string[] {
  const key = filledKey(topics);
  if (key !== lastFilled.key) lastFilled = { key, ids: key ? key.split('\n') : [] };
  return lastFilled.ids;
}

/** What the canvas draws from: the document, the selection, React Flow's measured sizes, whether it may edit. */
export const useFlowInputs = () =>
  useLab(
    useShallow((s) => ({
      nodes: s.doc.nodes,
      links: s.doc.links,
      selection: s.selection,
      measured: s.measured,
      editable: !s.presenter,
      filledDeadLetters: filledDeadLetters(s.snapshot?.topics),
    })),
  );
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
export const useNodeLabels = () => useLab(useShallow((s) => idRecord(s.doc.nodes.map((n) => [n.id, n.label ?? n.id]))));

// Live numbers
export const useRunning = () => useLab((s) => s.snapshot?.running ?? false);
export const useStartedAt = () => useLab((s) => s.snapshot?.startedAt);
/*
 * A frame replaces the whole snapshot ten times a second. Each node and link reads only its own slice, as
 * primitives (numbers already formatted as shown), so a card whose printed numbers did not change does not
 * re-render, and one that did re-renders alone.
 */
export const useServiceLive = (id: string, detail: Detail = 'full') =>
  useLab(
    useShallow((s) => {
      const live = own(s.snapshot?.nodes, id);
      if (!live) return { live: false as const };
      // A compact card shows its status only: numbers it does not draw must not re-render it.
      if (detail === 'compact') return { live: true as const, status: live.status, compact: true as const };
      const owners = partitionOwners(s.snapshot!, id);
      return {
        live: true as const,
        status: live.status,
        /**
         * "id\tstatus\tspare" per instance, one a line: a string, so an unchanged list compares equal. A spare
         * is a live instance of a consuming service that owns no partition (more instances than partitions).
         */
        instances: live.instances
          .map((i) => `${i.id}\t${i.status}\t${owners && i.status !== 'down' && !owners.has(i.id) ? 'spare' : ''}`)
          .join('\n'),
        count: live.instances.length,
        inRate: fmtRate(live.inRate),
        outRate: fmtRate(live.outRate),
        p99: fmtMs(live.p99Ms),
        errors: live.errorRate > 0 ? fmtShare(live.errorRate) : undefined,
        behavior: behaviorNumbers(live),
      };
    }),
  );
/** What a service's behavior did, measured, in a few words: alerts, kept back, polls, view size, rebuild. */
function behaviorNumbers(live: NodeLive): string | undefined {
  const parts = [
    live.alerts !== undefined && `${fmtCount(live.alerts)} alerts`,
    live.filtered !== undefined && `${fmtCount(live.filtered)} kept back`,
    live.polls !== undefined && `${fmtCount(live.polls)} polls, ${fmtCount(live.emptyPolls ?? 0)} empty`,
    live.viewSize !== undefined && `${fmtCount(live.viewSize)} keys`,
    live.rebuildMs !== undefined && `rebuilt in ${fmtMs(live.rebuildMs)} ms`,
    live.ageP50Ms !== undefined && `learns after ${fmtMs(live.ageP50Ms)} ms`,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
}
/** The instances that own a partition of some topic the service consumes; undefined when it consumes none. */
function partitionOwners(snapshot: Snapshot, serviceId: string): Set<string> | undefined {
  let owners: Set<string> | undefined;
  for (const topic of Object.values(snapshot.topics)) {
    const group = own(topic.groups, serviceId);
    if (!group) continue;
    owners ??= new Set();
    for (const owner of group.owners) if (owner) owners.add(owner);
  }
  return owners;
}

export const useSourceLive = (id: string, detail: Detail = 'full') =>
  useLab(
    useShallow((s) => {
      const live = own(s.snapshot?.nodes, id);
      if (detail === 'compact') return { outRate: undefined, targetRate: undefined };
      return { outRate: live ? fmtRate(live.outRate) : undefined, targetRate: live?.targetRate };
    }),
  );
/** A topic's lanes as drawn: a string (see topicLanes), so lanes that look the same compare equal. */
export const useTopicLanes = (id: string, partitions: number, detail: Detail = 'full') =>
  useLab((s) => (detail === 'compact' ? '[]' : JSON.stringify(topicLanes(own(s.snapshot?.topics, id), partitions))));
/** How each consuming service finished a topic's events: a string (see groupAccounts), compared by value. */
export const useGroupAccounts = (id: string) =>
  useLab((s) => JSON.stringify(groupAccounts(own(s.snapshot?.topics, id))));
/** A link as drawn: its state and, in full detail, its numbers already formatted (so equal looks compare equal). */
export const useLinkLive = (id: string, detail: Detail = 'full') =>
  useLab(
    useShallow((s) => {
      const live = own(s.snapshot?.links, id);
      if (!live) return { live: false as const, dots: 0, state: 'ok' as CallState };
      const state = callState(live);
      if (detail === 'compact') return { live: true as const, dots: 0, state };
      return {
        live: true as const,
        state,
        rate: fmtRate(live.rate),
        dots: dotsForRate(live.rate),
        failing: state === 'failing' ? fmtShare(failedShare(live)) : undefined,
        timingOut: state === 'timing-out' ? fmtShare(live.timeoutRate) : undefined,
        circuit: live.circuit,
        reason: state === 'failing' ? live.reason : undefined,
        served: live.servedVersion,
      };
    }),
  );
/** The version of its callee's API a call link reads answers as (undefined when the callee has no API). */
export const useBuiltAgainst = (link: { to: string; apiVersion?: number }) =>
  useLab((s) => {
    const callee = s.doc.nodes.find((n) => n.id === link.to);
    return callee?.kind === 'service' ? builtAgainst(link, callee) : undefined;
  });
/** Why a link's latest failure failed, while it fails (for the inspector). */
export const useLinkReason = (id: string) => useLab((s) => own(s.snapshot?.links, id)?.reason);
export const useLinkLag = (id: string, detail: Detail = 'full') =>
  useLab((s) => (detail === 'compact' ? undefined : own(s.snapshot?.links, id)?.lag));
/** The lag in time, as shown beside the count: "≈ 21 s behind" (rounded, so it re-renders only when it moves). */
export const useLagBehind = (id: string) =>
  useLab((s) => (s.snapshot ? behindText(lagSeconds(s.snapshot, s.doc as Pick<Topology, 'links'>, id)) : ''));
/** The log and the charts as of the moment shown: everything while live, up to the cursor while rewound or replaying. */
export const useLog = () => useAsOfCursor(useLab((s) => s.log));
export const useTrend = () => useAsOfCursor(useLab((s) => s.trend));
function useAsOfCursor<T extends { at: number }>(items: T[]): T[] {
  const until = useLab((s) => (s.timeMode === 'live' ? undefined : s.cursorAt));
  return useMemo(() => (until === undefined ? items : items.filter((item) => item.at <= until)), [items, until]);
}
/** A replay, or a classroom's spotlight: nothing can be edited, run or broken. */
export const useReadOnly = () => useLab((s) => s.timeMode === 'replay' || s.spotlight);

// Panels and messages
export const useDock = () =>
  useLab(
    useShallow((s) => ({ tab: s.dockTab, setTab: s.setDockTab, height: s.dockHeight, setHeight: s.setDockHeight })),
  );
export const useTraceFilter = () =>
  useLab(useShallow((s) => ({ traceId: s.traceFilter, setTraceFilter: s.setTraceFilter })));
export const useToasts = () => useLab(useShallow((s) => ({ toasts: s.toasts, dismiss: s.dismiss })));
export const useNotify = () => useLab((s) => s.notify);
export const useRenaming = () => useLab(useShallow((s) => ({ renaming: s.renaming, setRenaming: s.setRenaming })));
export const useLabProgress = () => useLab((s) => s.snapshot?.lab);
export const useGuide = () => useLab(useShallow((s) => ({ open: s.guideOpen, setOpen: s.setGuideOpen })));
export const useSideTab = () => useLab(useShallow((s) => ({ tab: s.sideTab, setTab: s.setSideTab })));
export const usePrediction = () =>
  useLab(
    useShallow((s) => ({
      predicting: s.predicting,
      marked: s.marked,
      setPredicting: s.setPredicting,
      toggleMark: s.toggleMark,
    })),
  );
export const readPrediction = () => ({
  predicting: useLab.getState().predicting,
  toggleMark: useLab.getState().toggleMark,
});
export const useJourneyPath = () => useLab((s) => s.journeyPath);
export const useSetJourneyPath = () => useLab((s) => s.setJourneyPath);
