import { LIMITS, type Topology } from './topology.js';

/**
 * Limits on the whole lab, beyond each node's own: the work one shared server takes. Each service instance
 * and each source is its own set of Kafka clients and connections and its own consumer-group member (about
 * 1–2 MB each on the shared host threads, see docs/design/lean-instances.md), and every source event is work
 * for the broker and every service downstream.
 */
export function instancesOf(topology: Pick<Topology, 'nodes'>): number {
  return topology.nodes.reduce((sum, n) => sum + (n.kind === 'service' ? n.instances : n.kind === 'source' ? 1 : 0), 0);
}

export function totalRateOf(topology: Pick<Topology, 'nodes'>): number {
  return topology.nodes.reduce((sum, n) => sum + (n.kind === 'source' ? n.ratePerSec : 0), 0);
}

export const tooManyInstances = (total: number, limit: number = LIMITS.totalInstances) =>
  `${total} instances would run (service instances plus one per source); the lab runs at most ${limit} at once`;

export function quotaProblems(topology: Pick<Topology, 'nodes'>): { path: string; error: string }[] {
  const problems: { path: string; error: string }[] = [];
  const instances = instancesOf(topology);
  if (instances > LIMITS.totalInstances)
    problems.push({ path: 'nodes', error: `nodes: ${tooManyInstances(instances)}` });
  const rate = totalRateOf(topology);
  if (rate > LIMITS.totalRatePerSec) {
    problems.push({
      path: 'nodes',
      error: `nodes: the sources make ${rate} events per second together; the lab's sources make at most ${LIMITS.totalRatePerSec} together`,
    });
  }
  return problems;
}
