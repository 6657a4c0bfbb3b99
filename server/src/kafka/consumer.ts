import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs';

export interface GroupConsumerOptions {
  groupId: string;
  topics: { topic: string; fromBeginning: boolean }[];
  /** Partitions handled at once; events of one partition are always handled in order. */
  partitionsAtOnce: number;
  onAssignment: (partitions: Record<string, number[]>) => void;
  onRebalancing: () => void;
  onError: (message: string) => void;
  /** False when the caller commits offsets itself: in transactions (exactly-once), or to hold a partition. */
  autoCommit?: boolean;
  /** Asked when kafkajs would restart the consumer after an error: a stopped or crashed instance says no. */
  mayRestart?: () => boolean;
}

/**
 * Short session timeout so a crashed instance is noticed in seconds (6 s is the broker's minimum by default);
 * offsets are committed only after an event was handled (at-least-once). Consumers read only committed
 * transactions (kafkajs's default isolation, read_committed), so an aborted exactly-once attempt is never seen.
 */
export const SESSION_TIMEOUT_MS = 6_000;

export async function startGroupConsumer(
  kafka: Kafka,
  options: GroupConsumerOptions,
  handle: (payload: EachMessagePayload, consumer: Consumer) => Promise<void>,
): Promise<Consumer> {
  const consumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: SESSION_TIMEOUT_MS,
    heartbeatInterval: 500,
    rebalanceTimeout: 10_000,
    // Kafka's own default (fetch.max.wait.ms): how long an idle fetch waits. Events still come at once (the
    // broker answers as soon as a byte is there); an instance at rest then fetches twice a second, not ten times.
    maxWaitTimeInMs: 500,
    allowAutoTopicCreation: false,
    retry: { retries: 10, restartOnFailure: async () => options.mayRestart?.() ?? true },
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => options.onAssignment(payload.memberAssignment));
  consumer.on(consumer.events.REBALANCING, () => options.onRebalancing());
  consumer.on(consumer.events.CRASH, ({ payload }) =>
    options.onError(`consumer restarting after: ${payload.error.message}`),
  );
  await consumer.connect();
  for (const { topic, fromBeginning } of options.topics) await consumer.subscribe({ topic, fromBeginning });
  await consumer.run({
    partitionsConsumedConcurrently: options.partitionsAtOnce,
    autoCommit: options.autoCommit ?? true,
    autoCommitInterval: 500,
    eachMessage: (payload) => handle(payload, consumer),
  });
  return consumer;
}
