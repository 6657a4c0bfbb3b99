import { builtAgainst, idRecord, type Service, type Source, type Topology, type TopologyNode } from '@lab/model';
import type { KafkaSecurity } from '../kafka/security.js';
import type { InstanceSpec } from './messages.js';

export interface Namespace {
  prefix: string;
  brokers: string[];
  /** TLS and SASL of an existing cluster; none for the local broker. */
  security?: KafkaSecurity;
}

/** What every instance of a run shares: its namespace and the run's secret. */
export interface RunContext extends Namespace {
  secret: string;
}

export const topicName = (ns: Namespace, topicId: string) => `${ns.prefix}${topicId}`;
export const groupName = (ns: Namespace, serviceId: string) => `${ns.prefix}${serviceId}`;

/** What one instance of `node` needs to know of the topology. */
export function specFor(ns: RunContext, topology: Topology, node: Service | Source, instanceId: string): InstanceSpec {
  const topics = new Map(topology.nodes.filter((n) => n.kind === 'topic').map((t) => [t.id, t]));
  const produces = topology.links.flatMap((l) =>
    l.kind === 'produce' && l.from === node.id ? [{ ...l, topic: topicName(ns, l.to) }] : [],
  );
  const consumes = topology.links.flatMap((l) =>
    l.kind === 'consume' && l.to === node.id ? [{ ...l, topic: topicName(ns, l.from) }] : [],
  );
  const services = new Map(topology.nodes.flatMap((n) => (n.kind === 'service' ? [[n.id, n] as const] : [])));
  const calls = topology.links.flatMap((l) => {
    if (l.kind !== 'call' || l.from !== node.id) return [];
    const callee = services.get(l.to);
    const version = builtAgainst(l, callee);
    const expects = callee?.api?.versions.find((v) => v.version === version);
    return [expects ? { ...l, expects } : l];
  });
  const schemas = idRecord<Record<string, unknown>>();
  const contracts = idRecord<InstanceSpec['contracts'][string]>();
  for (const link of produces) {
    const topic = topics.get(link.to);
    if (topic?.schema) schemas[link.to] = topic.schema;
    const latest = topic?.contract?.versions.at(-1);
    if (latest) contracts[link.to] = latest;
  }
  const origins = topology.nodes.filter((n) => n.kind === 'source').map((n) => n.id);
  return {
    node,
    instanceId,
    brokers: ns.brokers,
    security: ns.security,
    groupId: groupName(ns, node.id),
    produces,
    consumes,
    calls,
    ...(node.kind === 'service' && node.api ? { api: node.api.versions.at(-1) } : {}),
    schemas,
    contracts,
    secret: ns.secret,
    origins,
  };
}

/**
 * The topics a node consumes, as a comparable key: a change needs a new consumer (and so new instances).
 * So does a change of delivery mode (exactly-once commits offsets in transactions) or to or from a `block`
 * policy (the service then commits offsets itself): both are fixed when the consumer starts.
 */
export function consumeKey(topology: Topology, nodeId: string): string {
  const topics = topology.links
    .filter((l) => l.kind === 'consume' && l.to === nodeId)
    .map((l) => `${l.from}:${l.kind === 'consume' ? `${l.startFrom}:${l.onFailure === 'block'}` : ''}`)
    .sort()
    .join(',');
  const node = topology.nodes.find((n) => n.id === nodeId);
  return topics && node?.kind === 'service' ? `${topics}|${node.delivery}` : topics;
}

export function runnable(topology: Topology): (Service | Source)[] {
  return topology.nodes.filter((n): n is Service | Source => n.kind === 'service' || n.kind === 'source');
}

export function nodeById(topology: Topology | undefined, id: string): TopologyNode | undefined {
  return topology?.nodes.find((n) => n.id === id);
}

/** Instance ids are the service id and a number from 1: billing-1, billing-2… */
export function instanceIds(nodeId: string, count: number, start = 1): string[] {
  return Array.from({ length: count }, (_, i) => `${nodeId}-${start + i}`);
}
