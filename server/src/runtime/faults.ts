import { errorRateValue, type FaultValue, type NodeActionRequest, scaleValue, slowValue } from '@lab/model';
import { AppError } from '../errors.js';
import { type FaultBook, NO_FAULTS } from './fault-book.js';
import type { InstanceLifecycle } from './lifecycle.js';
import type { Faults } from './messages.js';
import type { RuntimeOptions } from './options.js';
import type { Quota } from './quota.js';
import type { RunState } from './run-state.js';
import { nodeById } from './specs.js';

/**
 * Breaking a service and mending it (`POST /api/nodes/:id/actions`): crash, stop, hang, slow, errors, scale,
 * revive, and a source's poison pill. Each answers, and logs, what happened in the learner's terms.
 */
export class FaultInjector {
  constructor(
    private readonly options: RuntimeOptions,
    private readonly state: RunState,
    private readonly book: FaultBook,
    private readonly lifecycle: InstanceLifecycle,
    private readonly quota: Quota,
    /** Publishes a frame once an action took effect. */
    private readonly publish: () => void,
  ) {}

  async action(nodeId: string, request: NodeActionRequest): Promise<string> {
    const node = nodeById(this.state.topology, nodeId);
    if (!node) throw new AppError(404, `No node "${nodeId}" in the topology`, 'id');
    if (node.kind === 'source' && request.action === 'poison') return this.poison(nodeId);
    if (node.kind !== 'service') {
      const hint = node.kind === 'source' ? `; change its rate with POST /api/nodes/${nodeId}/rate` : '';
      throw new AppError(400, `"${nodeId}" is a ${node.kind}: only services take ${request.action}${hint}`, 'id');
    }
    if (!this.state.running) throw new AppError(409, 'The topology is not running: press Run first');
    const message = await this.apply(nodeId, request);
    this.options.log.add({
      level: request.action === 'revive' || request.action === 'scale' ? 'info' : 'warn',
      kind: request.action === 'revive' ? 'revive' : request.action === 'scale' ? 'scale' : 'fault',
      nodeId,
      message,
    });
    this.lifecycle.publishEndpoints();
    this.publish();
    return message;
  }

  private poison(nodeId: string): string {
    if (!this.state.running) throw new AppError(409, 'The topology is not running: press Run first');
    for (const instance of this.lifecycle.of(nodeId)) instance.send({ type: 'poison' });
    const message = `${nodeId} sent a poison pill: an event no service can process`;
    this.options.log.add({ level: 'warn', kind: 'fault', nodeId, message });
    return message;
  }

  private async apply(nodeId: string, { action, value, instance: only }: NodeActionRequest): Promise<string> {
    const all = this.lifecycle.of(nodeId);
    const scope = only ? all.filter((i) => i.id === only) : all;
    if (only && scope.length === 0) {
      throw new AppError(
        404,
        `No instance "${only}" of "${nodeId}" (instances: ${all.map((i) => i.id).join(', ') || 'none'})`,
        'instance',
      );
    }
    const who = only ?? nodeId;
    const alive = scope.filter((i) => i.alive);
    const setFaults = (change: Partial<Faults>) => {
      for (const i of scope) i.send({ type: 'faults', faults: this.book.change(i.id, change) });
    };
    switch (action) {
      case 'crash':
        if (alive.length === 0) throw new AppError(409, `${who} is already down`);
        await Promise.all(alive.map((i) => i.crash()));
        return `${who} crashed (${alive.map((i) => i.id).join(', ')}): ${this.crashConsequence(nodeId)}`;
      case 'stop':
        if (alive.length === 0) throw new AppError(409, `${who} is already down`);
        await Promise.all(alive.map((i) => i.stop()));
        return `${who} stopped gracefully: it left its consumer group, so its partitions moved at once`;
      case 'revive': {
        const dead = scope.filter((i) => !i.alive);
        for (const i of scope) this.book.forget(i.id);
        for (const i of alive) i.send({ type: 'faults', faults: NO_FAULTS });
        await Promise.all(dead.map((i) => this.lifecycle.startInstance(i)));
        return dead.length ? `${who} revived (${dead.map((i) => i.id).join(', ')})` : `${who}: faults cleared`;
      }
      case 'hang':
        if (alive.length === 0) throw new AppError(409, `${who} is down: revive it first`);
        setFaults({ hang: true });
        return `${who} hangs: it accepts inputs and never finishes them`;
      case 'slow': {
        const ms = valid(slowValue(value));
        setFaults({ slowMs: ms });
        return ms ? `${who} slowed by ${ms} ms per input` : `${who} no longer slowed`;
      }
      case 'errors': {
        const rate = valid(errorRateValue(value));
        setFaults({ errorRate: rate });
        return `${who} now fails ${Math.round(rate * 100)}% of its inputs`;
      }
      case 'poison':
        throw new AppError(400, `"${nodeId}" is a service: only sources send a poison pill`, 'id');
      case 'scale': {
        if (only) throw new AppError(400, 'instance: scale applies to a whole service, not one instance', 'instance');
        const to = valid(scaleValue(value));
        const from = all.length;
        this.quota.checkScale(nodeId, this.lifecycle.count, from, to);
        await this.lifecycle.scaleTo(nodeId, to);
        return `${nodeId} scaled from ${from} to ${to} instances`;
      }
    }
  }

  /** What a crash means for this service, in the learner's terms: a consumer's partitions wait, callers fail. */
  private crashConsequence(nodeId: string): string {
    const { links } = this.state.topology;
    if (links.some((l) => l.kind === 'consume' && l.to === nodeId))
      return 'no goodbye to Kafka; its partitions wait for the session timeout';
    if (links.some((l) => l.kind === 'call' && l.to === nodeId))
      return 'its callers get connection errors until it is revived';
    return 'nothing runs until it is revived';
  }
}

/** A fault's value, or the model's problem with it as a 400 naming `value`. */
function valid(checked: FaultValue): number {
  if (!checked.ok) throw new AppError(400, checked.error, 'value');
  return checked.value;
}
