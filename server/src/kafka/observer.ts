import type { TopicMessage } from '@lab/model';
import type { Consumer, Kafka } from 'kafkajs';

const KEEP_PER_TOPIC = 500;
/** On start, the observer looks this far back in each partition so the browser has history at once. */
const LOOK_BACK = 100;

/**
 * The message browser's eyes: one consumer, in a group of its own, that reads every lab topic and keeps the
 * latest messages of each in memory. It never commits where a service's group would see it.
 */
export class TopicObserver {
  private consumer: Consumer | undefined;
  private readonly recent = new Map<string, TopicMessage[]>();
  private topics: string[] = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly groupId: string,
  ) {}

  /** (Re)subscribes to exactly these topics. Cheap to call with the same list. */
  async watch(topics: string[], endOffsets: (topic: string) => Promise<number[]>): Promise<void> {
    const sorted = [...topics].sort();
    if (sorted.join('\n') === this.topics.join('\n') && this.consumer) return;
    await this.stop();
    this.topics = sorted;
    if (sorted.length === 0) return;
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: 6_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 200,
    });
    this.consumer = consumer;
    await consumer.connect();
    for (const topic of sorted) await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      // A batch at a time, and only its newest events are read: older ones would be dropped at once anyway.
      eachBatch: async ({ batch }) => {
        const list = this.recent.get(batch.topic) ?? [];
        this.recent.set(batch.topic, list);
        for (const message of batch.messages.slice(-KEEP_PER_TOPIC)) {
          list.push({
            partition: batch.partition,
            offset: Number(message.offset),
            timestamp: Number(message.timestamp),
            key: message.key?.toString() ?? null,
            headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
            value: parseValue(message.value?.toString() ?? ''),
          });
        }
        if (list.length > KEEP_PER_TOPIC) list.splice(0, list.length - KEEP_PER_TOPIC);
      },
    });
    for (const topic of sorted) {
      const ends = await endOffsets(topic).catch(() => [] as number[]);
      for (const [partition, end] of ends.entries()) {
        consumer.seek({ topic, partition, offset: String(Math.max(0, end - LOOK_BACK)) });
      }
    }
  }

  /** The latest `limit` messages of a topic, newest last. */
  latest(topic: string, limit: number): TopicMessage[] {
    const list = this.recent.get(topic) ?? [];
    return [...list]
      .sort((a, b) => a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset)
      .slice(-limit);
  }

  forget(): void {
    this.recent.clear();
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    this.topics = [];
    await consumer?.disconnect().catch(() => {});
  }
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
