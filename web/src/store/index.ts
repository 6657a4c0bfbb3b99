import { create } from 'zustand';
import { createLiveSlice, type LiveSlice } from './live';
import { createUiSlice, type UiSlice } from './ui';

export type LabState = LiveSlice & UiSlice;

/** The one store of the app, made of typed slices. Read it through the selectors in selectors.ts. */
export const useLab = create<LabState>()((...a) => ({
  ...createLiveSlice(...a),
  ...createUiSlice(...a),
}));
