import type {
  Command,
  CommandDone,
  Continued,
  KeptTopology,
  LabDefinition,
  LabSummary,
  LeftLab,
  Ok,
  ScenarioState,
} from '@lab/model';
import { request } from './http';

export const listLabs = () => request<LabSummary[]>('GET', '/api/labs');
export const getLab = (id: string) => request<LabDefinition>('GET', `/api/labs/${encodeURIComponent(id)}`);
export const startLab = (id: string) => request<Ok>('POST', `/api/labs/${encodeURIComponent(id)}/start`);
export const leaveLab = () => request<LeftLab>('POST', '/api/labs/leave');
export const continueLab = () => request<Continued>('POST', '/api/labs/continue');
export const predict = (nodes: string[]) => request<Ok>('POST', '/api/labs/predict', { nodes });
export const keptTopology = () => request<KeptTopology>('GET', '/api/labs/kept-topology');
export const restoreKept = () => request<Ok>('POST', '/api/labs/kept-topology/restore');
export const discardKept = () => request<Ok>('POST', '/api/labs/kept-topology/discard');
/** Runs a lab command; following an event answers with the trace id it opened. */
export const labCommand = (command: Command) => request<CommandDone>('POST', '/api/labs/command', { command });
export const scenario = (action: 'play' | 'pause' | 'restart') =>
  request<ScenarioState>('POST', '/api/labs/scenario', { do: action });
