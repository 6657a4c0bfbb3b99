import { create } from 'zustand';
import { createTimeSlice, type TimeSlice } from '../replay/slice';
import { createLiveSlice, type LiveSlice } from './live';
import { createLogSlice, type LogSlice } from './log';
import { createTopologySlice, type TopologySlice } from './topology';
import { createTrendSlice, type TrendSlice } from './trend';
import { createUiSlice, selectionWithin, type UiSlice } from './ui';

export type LabState = TopologySlice & LiveSlice & LogSlice & TrendSlice & UiSlice & TimeSlice;

/** The one store of the app, made of typed slices. Read it through the selectors in selectors.ts. */
export const useLab = create<LabState>()((...a) => ({
  ...createTopologySlice(...a),
  ...createLiveSlice(...a),
  ...createLogSlice(...a),
  ...createTrendSlice(...a),
  ...createUiSlice(...a),
  ...createTimeSlice(...a),
}));

// Whatever replaced the document (an edit, undo, a load, an import, a lab), the selection and the node being
// renamed name only what is still in it: a selection of vanished nodes would leave the inspector unusable.
useLab.subscribe((state, previous) => {
  if (state.doc === previous.doc) return;
  const selection = selectionWithin(state.selection, state.doc);
  const renaming = state.doc.nodes.some((n) => n.id === state.renaming) ? state.renaming : undefined;
  if (selection !== state.selection || renaming !== state.renaming) useLab.setState({ selection, renaming });
});
