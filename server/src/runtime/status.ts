import { FAILING_SHARE, type InstanceLive, type Status } from '@lab/model';
import type { Instance } from './instance.js';
import type { Faults } from './messages.js';

/** An instance's status as the learner sees it: a fault shows over "running". */
export function instanceStatus(instance: Instance, faults: Faults | undefined): Status {
  switch (instance.phase) {
    case 'down':
    case 'stopping':
      return 'down';
    case 'starting':
      return 'rebalancing';
    case 'running':
      if (faults?.hang) return 'hung';
      if (faults?.slowMs) return 'slow';
      if (instance.rebalancing) return 'rebalancing';
      return 'running';
  }
}

const PRIORITY: Status[] = ['hung', 'slow', 'rebalancing', 'running'];

/**
 * A service's status from its instances': down only when all are down; otherwise the most telling fault
 * among the live ones (a hung replica matters more than a slow one), then rebalancing; a service that
 * answers but fails most of its inputs (measured) is failing, not running.
 */
export function serviceStatus(instances: InstanceLive[], groupRebalancing: boolean, errorRate = 0): Status {
  const live = instances.filter((i) => i.status !== 'down');
  if (instances.length === 0 || live.length === 0) return 'down';
  const worst = PRIORITY.find((status) => live.some((i) => i.status === status)) ?? 'running';
  if (worst === 'running' && groupRebalancing) return 'rebalancing';
  return worst === 'running' && errorRate >= FAILING_SHARE ? 'failing' : worst;
}
