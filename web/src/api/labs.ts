import type { Command, Lab, Topology } from '@lab/model';
import { request } from './http';

export interface LabSummary {
  id: string;
  title: string;
  claim: string;
  minutes: number;
  steps: number;
}

export const listLabs = () => request<LabSummary[]>('GET', '/api/labs');
export const getLab = (id: string) =>
  request<Lab & { startingTopology: Topology }>('GET', `/api/labs/${encodeURIComponent(id)}`);
export const startLab = (id: string) => request<{ ok: true }>('POST', `/api/labs/${encodeURIComponent(id)}/start`);
export const leaveLab = () => request<{ ok: true }>('POST', '/api/labs/leave');
export const labCommand = (command: Command) => request<{ ok: true }>('POST', '/api/labs/command', { command });
export const scenario = (action: 'play' | 'pause' | 'restart') =>
  request<{ ok: true }>('POST', '/api/labs/scenario', { do: action });
