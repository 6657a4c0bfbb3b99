import { type Kafka, Partitioners, type Producer } from 'kafkajs';
import type { OutgoingEvent } from './producer.js';

/** One consumed event's share of a transaction: what it produces, and the offset that marks it done. */
export interface TransactionPart {
  records: { topic: string; event: OutgoingEvent }[];
  topic: string;
  partition: number;
  /** The offset of the consumed event; the transaction commits the one after it. */
  offset: string;
}

interface Waiting {
  part: TransactionPart;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * Exactly-once processing: the outputs of consumed events and the group's offsets for them commit in one Kafka
 * transaction, or not at all. A producer runs one transaction at a time, so the parts that arrive while one
 * commits wait and go together in the next (as the Java client's Streams commit interval does).
 * The transactional id is stable per instance: a revived instance fences its dead predecessor's open
 * transaction at once; one whose partitions moved to another instance is aborted by the broker after
 * `TRANSACTION_TIMEOUT_MS`, until when read_committed consumers wait behind it.
 */
export const TRANSACTION_TIMEOUT_MS = 6_000;

export class TransactionalProducer {
  private producer: Producer;
  private waiting: Waiting[] = [];
  private committing = false;
  /**
   * Per topic and partition, the first consumed offset of an aborted transaction. Later parts of that partition
   * are refused until that event comes again: one that reached the next transaction would commit an offset
   * past an event whose outputs were thrown away.
   */
  private readonly fences = new Map<string, bigint>();

  constructor(
    private readonly kafka: Kafka,
    private readonly transactionalId: string,
    private readonly groupId: string,
  ) {
    this.producer = this.make();
  }

  private make(): Producer {
    return this.kafka.producer({
      transactionalId: this.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: TRANSACTION_TIMEOUT_MS,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  /** Resolves once the part's transaction committed; rejects if it aborted (the event then comes again). */
  commit(part: TransactionPart): Promise<void> {
    const where = partitionKey(part);
    const fence = this.fences.get(where);
    if (fence !== undefined) {
      if (BigInt(part.offset) > fence)
        return Promise.reject(new Error('an earlier transaction of this partition aborted: it is consumed again'));
      this.fences.delete(where);
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ part, resolve, reject });
      if (!this.committing) void this.loop();
    });
  }

  private async loop() {
    this.committing = true;
    while (this.waiting.length) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        await this.run(batch.map((w) => w.part));
        for (const w of batch) w.resolve();
      } catch (err) {
        // What waits behind an aborted transaction fails with it: committing it would move offsets past
        // events whose outputs were just thrown away. Its partitions are consumed again from there.
        const failed = [...batch, ...this.waiting];
        this.waiting = [];
        for (const { part } of failed) {
          const fence = this.fences.get(partitionKey(part));
          if (fence === undefined || BigInt(part.offset) < fence)
            this.fences.set(partitionKey(part), BigInt(part.offset));
        }
        for (const w of failed) w.reject(err instanceof Error ? err : new Error(String(err)));
        await this.recover();
      }
    }
    this.committing = false;
  }

  private async run(parts: TransactionPart[]) {
    const transaction = await this.producer.transaction();
    try {
      const byTopic = new Map<string, OutgoingEvent[]>();
      for (const { topic, event } of parts.flatMap((p) => p.records)) {
        const list = byTopic.get(topic);
        if (list) list.push(event);
        else byTopic.set(topic, [event]);
      }
      if (byTopic.size) {
        await transaction.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
      }
      // Per partition the highest offset: the events of one partition are handled in order.
      const next = new Map<string, { topic: string; partition: number; offset: bigint }>();
      for (const p of parts) {
        const key = partitionKey(p);
        const offset = BigInt(p.offset) + 1n;
        if ((next.get(key)?.offset ?? -1n) < offset) next.set(key, { topic: p.topic, partition: p.partition, offset });
      }
      const topics = new Map<string, { partition: number; offset: string }[]>();
      for (const { topic, partition, offset } of next.values())
        topics.set(topic, [...(topics.get(topic) ?? []), { partition, offset: String(offset) }]);
      await transaction.sendOffsets({
        consumerGroupId: this.groupId,
        topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })),
      });
      await transaction.commit();
    } catch (err) {
      await transaction.abort().catch(() => {});
      throw err;
    }
  }

  /** A rebalance moved partitions: their fences belong to whoever consumes them now (from the last commit). */
  forgetAborts(): void {
    this.fences.clear();
  }

  /** After an abort kafkajs's producer may be left in an error state: start over with a fresh one. */
  private async recover() {
    await this.producer.disconnect().catch(() => {});
    this.producer = this.make();
    await this.producer.connect().catch(() => {}); // the next transaction reports a still-absent Kafka
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}

function partitionKey(part: { topic: string; partition: number }): string {
  return `${part.topic}\u0000${part.partition}`;
}
