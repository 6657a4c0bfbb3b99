import { HEADERS } from '@lab/model';
import type { LabAdmin } from '../kafka/admin.js';
import type { Kafka, KafkaHeaders } from '../kafka/client.js';
import { BatchingProducer } from '../kafka/producer.js';

export interface RedriveResult {
  /** Events republished to the origin topic, per service they are addressed to. */
  redriven: number;
  byService: Record<string, number>;
}

const DLQ_HEADERS = new Set<string>([
  HEADERS.dlqTopic,
  HEADERS.dlqPartition,
  HEADERS.dlqOffset,
  HEADERS.dlqReason,
  HEADERS.dlqService,
]);

/**
 * Republishes what a dead-letter topic holds to the topic it came from, each event addressed to the service
 * that failed it (the topic's other consumers had it already). A consumer group of its own remembers how far
 * earlier redrives went, so pressing Redrive twice never sends an event twice. Reads up to the end offsets of
 * the moment it started: events dead-lettered meanwhile wait for the next redrive.
 */
export async function redrive(
  kafka: Kafka,
  admin: LabAdmin,
  options: { dlqTopic: string; originTopic: string; groupId: string; timeoutMs?: number },
): Promise<RedriveResult> {
  const end = (await admin.topicOffsets(options.dlqTopic)).end;
  const committed = await admin.committedOffsets(options.groupId, options.dlqTopic);
  const start = (await admin.topicOffsets(options.dlqTopic)).start;
  const remaining = new Set(end.flatMap((high, p) => (high > Math.max(committed[p] ?? -1, start[p] ?? 0) ? [p] : [])));
  const result: RedriveResult = { redriven: 0, byService: {} };
  if (remaining.size === 0) return result;

  const producer = new BatchingProducer(kafka);
  await producer.connect();
  const consumer = kafka.consumer({ groupId: options.groupId, sessionTimeout: 6_000, maxWaitTimeInMs: 100 });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: options.dlqTopic, fromBeginning: true });
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redrive did not reach the end of ${options.dlqTopic} in time`)),
        options.timeoutMs ?? 20_000,
      );
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const high = end[partition] ?? 0;
          if (Number(message.offset) >= high) return;
          const headers: KafkaHeaders = {};
          for (const [name, value] of Object.entries(message.headers ?? {}))
            if (!DLQ_HEADERS.has(name) && value !== undefined) headers[name] = String(value);
          const service = String(message.headers?.[HEADERS.dlqService] ?? '');
          if (service) headers[HEADERS.redriveFor] = service;
          await producer.send(options.originTopic, {
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? '',
            headers,
          });
          result.redriven++;
          result.byService[service] = (result.byService[service] ?? 0) + 1;
          if (Number(message.offset) >= high - 1) {
            remaining.delete(partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          }
        },
      });
    });
    await done;
    // Commit the end itself: the next redrive starts where this one stopped.
    await consumer.commitOffsets(
      end.map((high, partition) => ({ topic: options.dlqTopic, partition, offset: String(high) })),
    );
  } finally {
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
  }
  return result;
}
