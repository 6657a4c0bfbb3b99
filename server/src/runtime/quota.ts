import { instancesOf, LIMITS, type Topology, tooManyInstances, totalRateOf } from '@lab/model';
import { AppError } from '../errors.js';
import type { RuntimeOptions } from './options.js';

/**
 * This lab's share: its own caps on instances and source rate (lower than the model's LIMITS for a classroom
 * attendee), and on a server of many workspaces what the others leave free. Checked before anything starts.
 */
export class Quota {
  constructor(private readonly options: Pick<RuntimeOptions, 'maxInstances' | 'maxRatePerSec' | 'serverRoom'>) {}

  get maxInstances(): number {
    return this.options.maxInstances ?? LIMITS.totalInstances;
  }

  get maxRatePerSec(): number {
    return this.options.maxRatePerSec ?? LIMITS.totalRatePerSec;
  }

  /** A run or an edit, refused past this lab's own quota (the document's check only knows LIMITS). */
  checkTopology(topology: Topology, what: string): void {
    const instances = instancesOf(topology);
    if (instances > this.maxInstances)
      throw new AppError(409, `${what}: ${tooManyInstances(instances, this.maxInstances)}`, 'nodes');
    const rate = totalRateOf(topology);
    if (rate > this.maxRatePerSec)
      throw new AppError(
        409,
        `${what}: the sources make ${rate} events per second together; this lab's sources make at most ${this.maxRatePerSec} together`,
        'nodes',
      );
    this.checkServerRoom(instances, what);
  }

  /** A scale from `from` to `to` instances of one service, with `total` instances running now. */
  checkScale(nodeId: string, total: number, from: number, to: number): void {
    const after = total - from + to;
    if (after > this.maxInstances)
      throw new AppError(
        409,
        `value: scaling ${nodeId} to ${to}: ${tooManyInstances(after, this.maxInstances)}`,
        'value',
      );
    this.checkServerRoom(after, `Scaling ${nodeId} to ${to}`);
  }

  /** A source's new rate, with the others' rates in force. */
  checkRate(perSecond: number, others: number): void {
    if (others + perSecond <= this.maxRatePerSec) return;
    throw new AppError(
      400,
      `perSecond: ${perSecond} ev/s would make the sources' total ${others + perSecond} ev/s; the lab's sources make at most ${this.maxRatePerSec} together`,
      'perSecond',
    );
  }

  /** Refuses what would take more than this workspace's share of the server. */
  private checkServerRoom(wanted: number, what: string) {
    const room = this.options.serverRoom?.();
    if (!room || wanted <= room.free) return;
    throw new AppError(
      503,
      `${what} needs ${wanted} instances, but this server runs at most ${room.limit} for all its workspaces and the others use ${room.limit - room.free}: try again when some stop, or run fewer instances`,
      'nodes',
    );
  }
}
