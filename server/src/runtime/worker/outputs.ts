import { HEADERS, own, TopicSchemaChecker } from '@lab/model';
import avro from 'avsc';
import type { Kafka } from 'kafkajs';
import { BatchingProducer, type OutgoingEvent } from '../../kafka/producer.js';
import { TransactionalProducer, type TransactionPart } from '../../kafka/transactions.js';
import type { FromWorker, InstanceSpec } from '../messages.js';
import { Caller } from './caller.js';
import { type LabEvent, nextHop, toHeaders, toValue } from './event.js';
import type { StatsCollector } from './stats.js';

/** Kafka did not take an event: the input must not be committed, so it will be delivered again. */
export class DeliveryError extends Error {}

/** How one input went out: `ok` false when a call failed (without fallback) or an event was refused, and why. */
export interface Sent {
  ok: boolean;
  reason?: string;
}

/** An event held back for a transaction: produced (and counted) only once the transaction commits. */
export interface Staged {
  linkId: string;
  topicId: string;
  topic: string;
  eventId: string;
  traceId: string;
  event: OutgoingEvent;
}

/**
 * Sends what an instance emits for one input: an event on each produce link and a request on each call link,
 * all at once. Events that break their topic's schema are refused before Kafka sees them.
 */
export class Outputs {
  private producer: BatchingProducer | undefined;
  private connecting: Promise<void> | undefined;
  private transactional: TransactionalProducer | undefined;
  /** Parsed contract versions, by topic id and version: parsing an Avro schema per event would be wasteful. */
  private readonly contracts = new Map<string, avro.Type>();
  private checkers = new Map<string, TopicSchemaChecker>();

  constructor(
    private spec: InstanceSpec,
    private readonly kafka: Kafka,
    readonly caller: Caller,
    private readonly stats: StatsCollector,
  ) {}

  /** An instance's outputs: its own Kafka client, and a caller that reports circuit changes to the log. */
  static forInstance(
    spec: InstanceSpec,
    stats: StatsCollector,
    post: (message: FromWorker) => void,
    kafka: () => Kafka,
  ): Outputs {
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
    return new Outputs(spec, kafka(), caller, stats);
  }

  /**
   * Connects the producer if the instance produces anywhere (a service consuming with dead letters does);
   * called at start and after a live edit. An exactly-once service gets a transactional producer as well.
   */
  connect(): Promise<void> {
    const deadLetters = this.spec.consumes.some((c) => c.onFailure === 'dead-letter');
    if (this.spec.produces.length === 0 && !deadLetters) return Promise.resolve();
    if (!this.connecting) {
      this.producer = new BatchingProducer(this.kafka);
      const exactlyOnce = this.spec.node.kind === 'service' && this.spec.node.delivery === 'exactly-once';
      if (exactlyOnce && this.spec.consumes.length)
        this.transactional = new TransactionalProducer(this.kafka, this.spec.instanceId, this.spec.groupId);
      this.connecting = Promise.all([this.producer.connect(), this.transactional?.connect()]).then(() => {});
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
    await this.transactional?.disconnect();
  }

  get exactlyOnce(): boolean {
    return this.transactional !== undefined;
  }

  private contractOf(topicId: string, contract: { version: number; schema: Record<string, unknown> }): avro.Type {
    const key = `${topicId}@${JSON.stringify(contract.schema)}`;
    let type = this.contracts.get(key);
    if (!type) {
      type = avro.Type.forSchema(contract.schema as avro.Schema);
      this.contracts.set(key, type);
    }
    return type;
  }

  /** Commits staged events with a consumed event's offset in one transaction, then counts them as produced. */
  async commit(staged: Staged[], consumed: Omit<TransactionPart, 'records'>): Promise<void> {
    const started = performance.now();
    try {
      await this.connect();
      await this.transactional!.commit({
        ...consumed,
        records: staged.map((s) => ({ topic: s.topic, event: s.event })),
      });
    } catch (err) {
      for (const s of staged) this.stats.link(s.linkId, 'failed', performance.now() - started, s.traceId);
      throw new DeliveryError(err instanceof Error ? err.message : String(err));
    }
    for (const s of staged) {
      this.stats.link(s.linkId, 'ok', performance.now() - started, s.traceId);
      this.stats.produce(s.topicId, s.eventId);
    }
  }

  /** Writes a failed event to a dead-letter topic (staged in a transaction when there is one). */
  async deadLetter(dlq: Omit<Staged, 'linkId' | 'traceId'>, staged?: Staged[]): Promise<void> {
    if (staged) {
      staged.push({ ...dlq, linkId: '', traceId: '' });
      return;
    }
    try {
      await this.connect();
      await this.producer!.send(dlq.topic, dlq.event);
    } catch (err) {
      throw new DeliveryError(err instanceof Error ? err.message : String(err));
    }
    this.stats.produce(dlq.topicId, dlq.eventId);
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

  /**
   * Sends what one input makes. With `staged`, events are held there for a transaction instead of produced;
   * with `onlyTo`, only the produce links to those topic ids are used (a routing service).
   * Resolves `ok` false with the reason when an output failed; rejects with DeliveryError when Kafka refused.
   */
  async send(input: LabEvent, asNewFlow: boolean, staged?: Staged[], onlyTo?: Set<string>): Promise<Sent> {
    const produces = onlyTo ? this.spec.produces.filter((l) => onlyTo.has(l.to)) : this.spec.produces;
    const sends = produces.map(async (link): Promise<string | true> => {
      const event = asNewFlow
        ? input
        : nextHop(input, link.eventType ?? input.type, keyOf(input, link.keyField), link.id);
      if (link.eventType && asNewFlow) event.type = link.eventType;
      const checker = this.checkerFor(link.to);
      if (checker && !checker.check(event.payload)) {
        this.stats.link(link.id, 'failed', 0, event.traceId);
        return `the event breaks the schema of topic "${link.to}"`;
      }
      const contract = own(this.spec.contracts, link.to);
      if (contract && !this.contractOf(link.to, contract).isValid(event.payload)) {
        this.stats.link(link.id, 'failed', 0, event.traceId);
        return `the event does not match version ${contract.version} of the contract of topic "${link.to}"`;
      }
      const headers = toHeaders(event);
      if (contract) headers[HEADERS.schemaVersion] = String(contract.version);
      const record = { key: event.key, value: toValue(event), headers };
      if (staged) {
        staged.push({
          linkId: link.id,
          topicId: link.to,
          topic: link.topic,
          eventId: event.id,
          traceId: event.traceId,
          event: record,
        });
        return true;
      }
      const started = performance.now();
      try {
        await this.connect();
        await this.producer!.send(link.topic, record);
      } catch (err) {
        this.stats.link(link.id, 'failed', performance.now() - started, event.traceId);
        throw new DeliveryError(err instanceof Error ? err.message : String(err));
      }
      this.stats.link(link.id, 'ok', performance.now() - started, event.traceId);
      this.stats.produce(link.to, event.id);
      return true;
    });
    const calls = this.spec.calls.map(async (link) =>
      (await this.caller.call(link, input)) ? true : `the REST call to "${link.to}" failed`,
    );
    const results = await Promise.allSettled([...sends, ...calls]);
    const delivery = results.find((r) => r.status === 'rejected');
    if (delivery) throw (delivery as PromiseRejectedResult).reason;
    const failure = results.find((r) => r.status === 'fulfilled' && r.value !== true);
    return failure ? { ok: false, reason: (failure as PromiseFulfilledResult<string>).value } : { ok: true };
  }
}

export function keyOf(input: LabEvent, keyField: string | undefined): string | null {
  if (!keyField) return input.key;
  const value = own(input.payload, keyField);
  return value === undefined ? input.key : String(value);
}
