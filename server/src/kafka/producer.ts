import { type IHeaders, type Kafka, Partitioners, type Producer } from 'kafkajs';

export interface OutgoingEvent {
  key: string | null;
  value: string;
  headers: IHeaders;
}

/** Like the Java client's buffer.memory: past this many events not yet acknowledged, a send fails at once. */
const MAX_BUFFERED = 20_000;
/** Events per produce request: a large flush goes as several requests (the broker caps a record batch at 1 MB). */
const MAX_REQUEST_EVENTS = 1_000;

interface Flush {
  records: { topic: string; event: OutgoingEvent }[];
  done: Promise<void>;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * A producer that gathers the sends of one event-loop turn into one request per topic (kafkajs sends each call
 * as its own request otherwise), the way the Java client's linger batches — with a linger of one turn, so a
 * single event leaves at once. Every send of a turn shares that turn's promise: it resolves once Kafka
 * acknowledged all of them (acks=all), so an event counts as produced only once the broker has it.
 * Sending never waits for the connection: the flush does, so events keep the order they were sent in.
 */
export class BatchingProducer {
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;
  private next: Flush | undefined;
  private unacknowledged = 0;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    if (!this.connected) {
      this.connected = this.producer.connect();
      this.connected.catch(() => {
        this.connected = undefined; // the next flush tries again
      });
    }
    return this.connected;
  }

  /** Queues one event; resolves once Kafka acknowledged it (with the rest of its turn's events). */
  send(topic: string, event: OutgoingEvent): Promise<void> {
    if (this.unacknowledged >= MAX_BUFFERED) {
      return Promise.reject(new Error(`producer buffer full (${MAX_BUFFERED} events waiting for Kafka)`));
    }
    if (!this.next) {
      let resolve!: () => void;
      let reject!: (err: Error) => void;
      const done = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.next = { records: [], done, resolve, reject };
      setImmediate(() => void this.flush());
    }
    this.next.records.push({ topic, event });
    this.unacknowledged++;
    return this.next.done;
  }

  private async flush() {
    const flush = this.next;
    if (!flush) return;
    this.next = undefined;
    try {
      await this.connect();
      const requests: Promise<unknown>[] = [];
      for (let from = 0; from < flush.records.length; from += MAX_REQUEST_EVENTS) {
        const byTopic = new Map<string, OutgoingEvent[]>();
        for (const { topic, event } of flush.records.slice(from, from + MAX_REQUEST_EVENTS)) {
          const list = byTopic.get(topic);
          if (list) list.push(event);
          else byTopic.set(topic, [event]);
        }
        requests.push(
          this.producer.sendBatch({
            acks: -1,
            topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
          }),
        );
      }
      // Every request settles before the turn's promise does: none is left running when it is reported failed.
      const results = await Promise.allSettled(requests);
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      flush.resolve();
    } catch (err) {
      flush.reject(err instanceof Error ? err : new Error(String(err)));
    } finally {
      this.unacknowledged -= flush.records.length;
    }
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}
