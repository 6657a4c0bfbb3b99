import { useStore } from '@xyflow/react';
import { type Detail, detailAt } from '../geometry/detail';

/** The canvas's level of detail at its current zoom: changes only when the zoom crosses the threshold. */
export const useDetail = (): Detail => useStore((s) => detailAt(s.transform[2]));
