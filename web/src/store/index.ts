import { create } from 'zustand';
import { createLiveSlice, type LiveSlice } from './live';
import { createLogSlice, type LogSlice } from './log';
import { createTopologySlice, type TopologySlice } from './topology';
import { createTrendSlice, type TrendSlice } from './trend';
import { createUiSlice, type UiSlice } from './ui';

export type LabState = TopologySlice & LiveSlice & LogSlice & TrendSlice & UiSlice;

/** The one store of the app, made of typed slices. Read it through the selectors in selectors.ts. */
export const useLab = create<LabState>()((...a) => ({
  ...createTopologySlice(...a),
  ...createLiveSlice(...a),
  ...createLogSlice(...a),
  ...createTrendSlice(...a),
  ...createUiSlice(...a),
}));
