import type { EdgeTypes, NodeTypes } from '@xyflow/react';
import { AsyncEdge } from './AsyncEdge';
import { CallEdge } from './CallEdge';
import { ServiceNode } from './ServiceNode';
import { SourceNode } from './SourceNode';
import { TopicNode } from './TopicNode';

/** Defined once, outside any component: React Flow re-mounts every node when these objects change. */
export const nodeTypes: NodeTypes = { source: SourceNode, service: ServiceNode, topic: TopicNode };
export const edgeTypes: EdgeTypes = { async: AsyncEdge, call: CallEdge };
