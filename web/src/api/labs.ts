import type { Command, Lab, Topology } from '@lab/model';
import { request } from './http';

export interface LabSummary {
  id: string;
  title: string;
  claim: string;
  minutes: number;
  steps: number;
  /** Whether the learner finished this lab, or started it and left part way. */
  status?: 'done' | 'in-progress';
}

export interface KeptTopology {
  name: string;
  nodes: number;
}

export const listLabs = () => request<LabSummary[]>('GET', '/api/labs');
export const getLab = (id: string) =>
  request<Lab & { startingTopology: Topology }>('GET', `/api/labs/${encodeURIComponent(id)}`);
export const startLab = (id: string) => request<{ ok: true }>('POST', `/api/labs/${encodeURIComponent(id)}/start`);
export const leaveLab = () => request<{ ok: true; kept: KeptTopology | null }>('POST', '/api/labs/leave');
export const continueLab = () => request<{ ok: true }>('POST', '/api/labs/continue');
export const predict = (nodes: string[]) => request<{ ok: true }>('POST', '/api/labs/predict', { nodes });
export const keptTopology = () => request<KeptTopology | null>('GET', '/api/labs/kept-topology');
export const restoreKept = () => request<{ ok: true }>('POST', '/api/labs/kept-topology/restore');
export const discardKept = () => request<{ ok: true }>('POST', '/api/labs/kept-topology/discard');
/** Runs a lab command; following an event answers with the trace id it opened. */
export const labCommand = (command: Command) =>
  request<{ ok: true; traceId?: string }>('POST', '/api/labs/command', { command });
export const scenario = (action: 'play' | 'pause' | 'restart') =>
  request<{ ok: true }>('POST', '/api/labs/scenario', { do: action });
