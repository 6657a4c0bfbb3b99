import { type CircuitState, type FlowLive, idRecord } from '@lab/model';
import type { StatsTick } from '../runtime/messages.js';
import { CountWindow, LatencyWindow } from './window.js';

class NodeWindows {
  readonly handled = new CountWindow();
  readonly failed = new CountWindow();
  readonly emitted = new CountWindow();
  readonly latency = new LatencyWindow();
  readonly inFlight = new Map<string, number>();
  processed = 0;
  failedTotal = 0;
  readonly ages = new LatencyWindow();
  filtered = 0;
  alerts = 0;
  polls = 0;
  emptyPolls = 0;
  readonly viewSizes = new Map<string, number>();
}

class LinkWindows {
  readonly count = new CountWindow();
  readonly failed = new CountWindow();
  readonly timeouts = new CountWindow();
  readonly latency = new LatencyWindow();
  samples: string[] = [];
  readonly circuits = new Map<string, CircuitState>();
  /** The latest failure's reason; shown only while failures are in the window. */
  reason: string | undefined;
  /** The callee's API version of the latest answer (links reading a callee's API). */
  served: number | undefined;
}

const CIRCUIT_SEVERITY: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface NodeNumbers {
  inRate: number;
  outRate: number;
  errorRate: number;
  inFlight: number;
  p50Ms: number;
  p99Ms: number;
  processed: number;
  failed: number;
  /** Only where the service's behavior did something: see NodeLive. */
  filtered?: number;
  alerts?: number;
  polls?: number;
  emptyPolls?: number;
  viewSize?: number;
  ageP50Ms?: number;
}

/** Folds the instances' stats ticks into sliding-window numbers per node, per link and per flow. */
export class Aggregator {
  private readonly nodes = new Map<string, NodeWindows>();
  private readonly links = new Map<string, LinkWindows>();
  private readonly flowLatency = new Map<string, LatencyWindow>();
  private readonly flowCompleted = new Map<string, number>();

  record(nodeId: string, instanceId: string, tick: StatsTick): void {
    const node = this.nodeWindows(nodeId);
    node.handled.add(tick.handled);
    node.failed.add(tick.failed);
    node.emitted.add(tick.emitted);
    node.latency.add(tick.latencies);
    node.inFlight.set(instanceId, tick.inFlight);
    node.processed += tick.handled;
    node.failedTotal += tick.failed;
    node.ages.add(tick.behavior.ages);
    node.filtered += tick.behavior.filtered;
    node.alerts += tick.behavior.alerts;
    node.polls += tick.behavior.polls;
    node.emptyPolls += tick.behavior.emptyPolls;
    if (tick.behavior.viewSize !== undefined) node.viewSizes.set(instanceId, tick.behavior.viewSize);

    for (const [linkId, link] of Object.entries(tick.links)) {
      const windows = this.linkWindows(linkId);
      windows.count.add(link.ok + link.failed);
      windows.failed.add(link.failed);
      windows.timeouts.add(link.timeouts);
      windows.latency.add(link.latencies);
      if (link.samples.length) windows.samples = [...windows.samples, ...link.samples].slice(-6);
      if (link.circuit) windows.circuits.set(instanceId, link.circuit);
      if (link.reason) windows.reason = link.reason;
      if (link.served !== undefined) windows.served = link.served;
    }
    for (const [origin, latencies] of Object.entries(tick.flows)) {
      entry(this.flowLatency, origin, () => new LatencyWindow()).add(latencies);
      this.flowCompleted.set(origin, (this.flowCompleted.get(origin) ?? 0) + latencies.length);
    }
  }

  /** An instance that died no longer has anything in flight. */
  forgetInstance(nodeId: string, instanceId: string): void {
    this.nodes.get(nodeId)?.inFlight.delete(instanceId);
    this.nodes.get(nodeId)?.viewSizes.delete(instanceId); // a crashed instance's view is gone with it
    for (const link of this.links.values()) link.circuits.delete(instanceId);
  }

  node(nodeId: string): NodeNumbers {
    const node = this.nodeWindows(nodeId);
    const handled = node.handled.perSecond();
    const failed = node.failed.perSecond();
    const [p50Ms, p99Ms] = node.latency.percentiles();
    return {
      inRate: round(handled + failed),
      outRate: round(node.emitted.perSecond()),
      errorRate: handled + failed > 0 ? round(failed / (handled + failed), 3) : 0,
      inFlight: [...node.inFlight.values()].reduce((a, b) => a + b, 0),
      p50Ms,
      p99Ms,
      processed: node.processed,
      failed: node.failedTotal,
      ...(node.filtered ? { filtered: node.filtered } : {}),
      ...(node.alerts ? { alerts: node.alerts } : {}),
      ...(node.polls ? { polls: node.polls, emptyPolls: node.emptyPolls } : {}),
      ...(node.viewSizes.size ? { viewSize: [...node.viewSizes.values()].reduce((a, b) => a + b, 0) } : {}),
      ...(node.processed ? { ageP50Ms: node.ages.percentiles()[0] } : {}),
    };
  }

  link(linkId: string) {
    const link = this.linkWindows(linkId);
    const count = link.count.total();
    const circuit = [...link.circuits.values()].sort((a, b) => CIRCUIT_SEVERITY[b] - CIRCUIT_SEVERITY[a])[0];
    return {
      rate: round(link.count.perSecond()),
      errorRate: count ? round(link.failed.total() / count, 3) : 0,
      timeoutRate: count ? round(link.timeouts.total() / count, 3) : 0,
      p99Ms: link.latency.percentiles()[1],
      samples: count ? link.samples : [],
      ...(circuit ? { circuit } : {}),
      ...(link.reason && link.failed.total() > 0 ? { reason: link.reason } : {}),
      ...(link.served !== undefined && count ? { servedVersion: link.served } : {}),
    };
  }

  flows(): Record<string, FlowLive> {
    const flows = idRecord<FlowLive>();
    for (const [origin, window] of this.flowLatency) {
      const [p50Ms, p99Ms] = window.percentiles();
      flows[origin] = { p50Ms, p99Ms, completed: this.flowCompleted.get(origin) ?? 0 };
    }
    return flows;
  }

  clear(): void {
    this.nodes.clear();
    this.links.clear();
    this.flowLatency.clear();
    this.flowCompleted.clear();
  }

  private nodeWindows(id: string): NodeWindows {
    return entry(this.nodes, id, () => new NodeWindows());
  }

  private linkWindows(id: string): LinkWindows {
    return entry(this.links, id, () => new LinkWindows());
  }
}

function entry<V>(map: Map<string, V>, key: string, make: () => V): V {
  const found = map.get(key);
  if (found) return found;
  const made = make();
  map.set(key, made);
  return made;
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
