import type {
  Journey,
  NodeAction,
  NodeActionDone,
  Ok,
  RedriveResult,
  ResetDone,
  TopicMessage,
  TopologyDocument,
  TopologySaved,
} from '@lab/model';
import { request } from './http';

/** The lab server's HTTP API (DESIGN.md, HTTP API), one function per call; answers typed from model/src/api.ts. */

export const getTopology = () => request<TopologyDocument>('GET', '/api/topology');
export const putTopology = (doc: TopologyDocument) => request<TopologySaved>('PUT', '/api/topology', doc);

export const run = () => request<Ok>('POST', '/api/run');
export const stop = () => request<Ok>('POST', '/api/stop');
export const reset = () => request<ResetDone>('POST', '/api/reset');

export const nodeAction = (nodeId: string, action: NodeAction, value?: number, instance?: string) =>
  request<NodeActionDone>('POST', `/api/nodes/${encodeURIComponent(nodeId)}/actions`, { action, value, instance });

export const setSourceRate = (nodeId: string, perSecond: number) =>
  request<Ok>('POST', `/api/nodes/${encodeURIComponent(nodeId)}/rate`, { perSecond });

export const topicMessages = (topicId: string, limit = 50) =>
  request<TopicMessage[]>('GET', `/api/topics/${encodeURIComponent(topicId)}/messages?limit=${limit}`);
/** One event's journey by trace id: every hop with its times (404 names why it is not known). */
export const journey = (traceId: string) => request<Journey>('GET', `/api/traces/${encodeURIComponent(traceId)}`);

export const redrive = (topicId: string) =>
  request<RedriveResult>('POST', `/api/topics/${encodeURIComponent(topicId)}/redrive`);
