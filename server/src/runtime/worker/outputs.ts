import { HEADERS, own, TopicSchemaChecker } from '@lab/model';
import avro from 'avsc';
import type { Kafka } from '../../kafka/client.js';
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

/** An input's outputs handed on: how it went, and `acked`, which settles once Kafka has its events. */
export interface Handed extends Sent {
  /** Resolves once Kafka acknowledged every event sent; rejects with DeliveryError if it refused one. */
  acked: Promise<void>;
}

/** Nothing was sent to Kafka: nothing to wait for. */
export const NOTHING_TO_WAIT: Promise<void> = Promise.resolve();

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
    if (this.spec.produces.length === 0 && !deadLetters) return NOTHING_TO_WAIT;
    if (!this.connecting) {
      this.producer ??= new BatchingProducer(this.kafka);
      const exactlyOnce = this.spec.node.kind === 'service' && this.spec.node.delivery === 'exactly-once';
      if (exactlyOnce && this.spec.consumes.length)
        this.transactional ??= new TransactionalProducer(this.kafka, this.spec.instanceId, this.spec.groupId);
      this.connecting = Promise.all([this.producer.connect(), this.transactional?.connect()]).then(() => {});
      this.connecting.catch(() => {
        this.connecting = undefined; // the next send tries again
      });
    }
    return this.connecting;
  }

  /** The producer, made on first use; it connects (again) by itself when it sends. */
  private get kafkaProducer(): BatchingProducer {
    if (!this.producer) this.connect().catch(() => {});
    this.producer ??= new BatchingProducer(this.kafka);
    return this.producer;
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
  deadLetter(dlq: Omit<Staged, 'linkId' | 'traceId'>, staged?: Staged[]): Promise<void> {
    if (staged) {
      staged.push({ ...dlq, linkId: '', traceId: '' });
      return NOTHING_TO_WAIT;
    }
    return this.kafkaProducer.send(dlq.topic, dlq.event).then(
      () => this.stats.produce(dlq.topicId, dlq.eventId),
      (err: unknown) => {
        throw new DeliveryError(err instanceof Error ? err.message : String(err));
      },
    );
  }

  /** A rebalance moved partitions: aborted transactions no longer hold back what is consumed next. */
  forgetAborts(): void {
    this.transactional?.forgetAborts();
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
   * Events are queued for Kafka at once, in call order; the REST calls are awaited. Resolves `ok` false with the
   * reason when an output failed; `acked` rejects with DeliveryError when Kafka refused an event.
   */
  async send(input: LabEvent, asNewFlow: boolean, staged?: Staged[], onlyTo?: Set<string>): Promise<Handed> {
    const produces = onlyTo ? this.spec.produces.filter((l) => onlyTo.has(l.to)) : this.spec.produces;
    const failures: string[] = [];
    const acks: Promise<void>[] = [];
    for (const link of produces) {
      const event = asNewFlow
        ? input
        : nextHop(input, link.eventType ?? input.type, keyOf(input, link.keyField), link.id);
      if (link.eventType && asNewFlow) event.type = link.eventType;
      const checker = this.checkerFor(link.to);
      if (checker && !checker.check(event.payload)) {
        this.stats.link(link.id, 'failed', 0, event.traceId);
        failures.push(`the event breaks the schema of topic "${link.to}"`);
        continue;
      }
      const contract = own(this.spec.contracts, link.to);
      if (contract && !this.contractOf(link.to, contract).isValid(event.payload)) {
        this.stats.link(link.id, 'failed', 0, event.traceId);
        failures.push(`the event does not match version ${contract.version} of the contract of topic "${link.to}"`);
        continue;
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
        continue;
      }
      const started = performance.now();
      acks.push(
        this.kafkaProducer.send(link.topic, record).then(
          () => {
            this.stats.link(link.id, 'ok', performance.now() - started, event.traceId);
            this.stats.produce(link.to, event.id);
          },
          (err: unknown) => {
            this.stats.link(link.id, 'failed', performance.now() - started, event.traceId);
            throw new DeliveryError(err instanceof Error ? err.message : String(err));
          },
        ),
      );
    }
    const acked = acks.length === 0 ? NOTHING_TO_WAIT : acks.length === 1 ? acks[0]! : Promise.all(acks).then(() => {});
    if (this.spec.calls.length) {
      const calls = await Promise.all(this.spec.calls.map((link) => this.caller.call(link, input)));
      for (const [i, called] of calls.entries())
        if (!called.ok) failures.push(`the REST call to "${this.spec.calls[i]!.to}" failed: ${called.reason}`);
    }
    return failures.length ? { ok: false, reason: failures[0], acked } : { ok: true, acked };
  }
}

export function keyOf(input: LabEvent, keyField: string | undefined): string | null {
  if (!keyField) return input.key;
  const value = own(input.payload, keyField);
  return value === undefined ? input.key : String(value);
}
