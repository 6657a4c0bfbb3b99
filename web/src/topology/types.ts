import type { TopologyDocument } from '@lab/model';

/** The document as saved: nodes and links with only the fields the user set (defaults stay implied). */
export type DocNode = TopologyDocument['nodes'][number];
export type DocLink = TopologyDocument['links'][number];
export type NodeKind = DocNode['kind'];
export type LinkKind = DocLink['kind'];
export type Position = { x: number; y: number };

export const EMPTY_DOCUMENT: TopologyDocument = { version: 1, name: 'Untitled', nodes: [], links: [] };
