import { type IHeaders, type Kafka, Partitioners, type Producer } from 'kafkajs';

export interface OutgoingEvent {
  key: string | null;
  value: string;
  headers: IHeaders;
}

interface Pending {
  topic: string;
  event: OutgoingEvent;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** Like the Java client's buffer.memory: past this many unsent events, a send fails at once. */
const MAX_BUFFERED = 20_000;

/**
 * A producer that gathers the sends of one event-loop turn into one request (kafkajs sends each call as its
 * own request otherwise), the way the Java client's linger batches. acks=all, so an event counts as produced
 * only once the broker has it.
 */
export class BatchingProducer {
  private readonly producer: Producer;
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  send(topic: string, event: OutgoingEvent): Promise<void> {
    if (this.queue.length >= MAX_BUFFERED) {
      return Promise.reject(new Error(`producer buffer full (${MAX_BUFFERED} events waiting for Kafka)`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ topic, event, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush() {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    const byTopic = new Map<string, OutgoingEvent[]>();
    for (const { topic, event } of batch) byTopic.set(topic, [...(byTopic.get(topic) ?? []), event]);
    try {
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      for (const p of batch) p.resolve();
    } catch (err) {
      for (const p of batch) p.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}
