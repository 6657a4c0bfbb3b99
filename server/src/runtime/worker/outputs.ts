import { own, TopicSchemaChecker } from '@lab/model';
import type { Kafka } from 'kafkajs';
import { createKafka } from '../../kafka/client.js';
import { BatchingProducer } from '../../kafka/producer.js';
import type { FromWorker, InstanceSpec } from '../messages.js';
import { Caller } from './caller.js';
import { type LabEvent, nextHop, toHeaders, toValue } from './event.js';
import type { StatsCollector } from './stats.js';

/** Kafka did not take an event: the input must not be committed, so it will be delivered again. */
export class DeliveryError extends Error {}

/** How one input went out: `ok` false when a call failed (without fallback) or an event was refused. */
export interface Sent {
  ok: boolean;
}

/**
 * Sends what an instance emits for one input: an event on each produce link and a request on each call link,
 * all at once. Events that break their topic's schema are refused before Kafka sees them.
 */
export class Outputs {
  private producer: BatchingProducer | undefined;
  private connecting: Promise<void> | undefined;
  private checkers = new Map<string, TopicSchemaChecker>();

  constructor(
    private spec: InstanceSpec,
    private readonly kafka: Kafka,
    readonly caller: Caller,
    private readonly stats: StatsCollector,
  ) {}

  /** An instance's outputs: its own Kafka client, and a caller that reports circuit changes to the log. */
  static forInstance(spec: InstanceSpec, stats: StatsCollector, post: (message: FromWorker) => void): Outputs {
    const caller = new Caller(
      stats,
      (link, state) =>
        post({
          type: 'log',
          level: state === 'open' ? 'warn' : 'info',
          kind: 'circuit',
          message: `circuit to ${link.to} ${state}`,
        }),
      spec.secret,
    );
    return new Outputs(spec, createKafka(spec.brokers, spec.instanceId, spec.security), caller, stats);
  }

  /** Connects the producer if the instance produces anywhere; called at start and after a live edit. */
  connect(): Promise<void> {
    if (this.spec.produces.length === 0) return Promise.resolve();
    if (!this.connecting) {
      this.producer = new BatchingProducer(this.kafka);
      this.connecting = this.producer.connect();
      this.connecting.catch(() => {
        this.connecting = undefined; // the next send tries again
      });
    }
    return this.connecting;
  }

  /** A live edit may give a service its first produce link: it then gets a producer too. */
  setSpec(spec: InstanceSpec): void {
    this.spec = spec;
    this.checkers.clear();
    void this.connect().catch(() => {});
  }

  async disconnect(): Promise<void> {
    await this.producer?.disconnect();
  }

  get isSink(): boolean {
    return this.spec.produces.length === 0 && this.spec.calls.length === 0;
  }

  /**
   * A topic's schema is data, read by the lab's own bounded checker (model/src/topic-schema.ts): patterns on
   * RE2 (linear time), a step budget per event; nothing from it is compiled to code.
   */
  private checkerFor(topicId: string): TopicSchemaChecker | undefined {
    const schema = own(this.spec.schemas, topicId);
    if (!schema) return undefined;
    let checker = this.checkers.get(topicId);
    if (!checker) {
      checker = new TopicSchemaChecker(schema);
      this.checkers.set(topicId, checker);
    }
    return checker;
  }

  async send(input: LabEvent, asNewFlow: boolean): Promise<Sent> {
    const sends = this.spec.produces.map(async (link) => {
      const event = asNewFlow ? input : nextHop(input, link.eventType ?? input.type, keyOf(input, link.keyField));
      if (link.eventType && asNewFlow) event.type = link.eventType;
      const checker = this.checkerFor(link.to);
      if (checker && !checker.check(event.payload)) {
        this.stats.link(link.id, 'failed', 0, event.traceId);
        return false;
      }
      const started = performance.now();
      try {
        await this.connect();
        await this.producer!.send(link.topic, { key: event.key, value: toValue(event), headers: toHeaders(event) });
      } catch (err) {
        this.stats.link(link.id, 'failed', performance.now() - started, event.traceId);
        throw new DeliveryError(err instanceof Error ? err.message : String(err));
      }
      this.stats.link(link.id, 'ok', performance.now() - started, event.traceId);
      this.stats.produce(link.to, event.id);
      return true;
    });
    const calls = this.spec.calls.map((link) => this.caller.call(link, input));
    const results = await Promise.allSettled([...sends, ...calls]);
    const delivery = results.find((r) => r.status === 'rejected');
    if (delivery) throw (delivery as PromiseRejectedResult).reason;
    return { ok: results.every((r) => r.status === 'fulfilled' && r.value) };
  }
}

function keyOf(input: LabEvent, keyField: string | undefined): string | null {
  if (!keyField) return input.key;
  const value = input.payload[keyField];
  return value === undefined ? input.key : String(value);
}
