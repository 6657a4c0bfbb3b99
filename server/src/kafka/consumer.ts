import type { Batch, EachBatchPayload, IHeaders, Kafka } from 'kafkajs';

export interface GroupConsumerOptions {
  groupId: string;
  topics: { topic: string; fromBeginning: boolean }[];
  /** Partitions handled at once; events of one partition are always handled in order. */
  partitionsAtOnce: number;
  onAssignment: (partitions: Record<string, number[]>) => void;
  onRebalancing: () => void;
  onError: (message: string) => void;
  /** False when offsets are committed in transactions (exactly-once): never by the consumer itself. */
  autoCommit?: boolean;
  /** Asked when kafkajs would restart the consumer after an error: a stopped or crashed instance says no. */
  mayRestart?: () => boolean;
}

/** One consumed record, as the lab reads it (kafkajs types stay under server/src/kafka/). */
export interface ConsumedRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}

/**
 * The records one fetch brought for one partition, in order. The handler marks each finished event with
 * `finished(offset)`, in offset order: only finished events can be committed, and the next fetch of the
 * partition starts after the last finished one (so returning early leaves the rest to be fetched again).
 */
export interface PartitionBatch {
  topic: string;
  partition: number;
  records: ConsumedRecord[];
  /** The event at `offset` and every one before it are finished: the group may commit past it. */
  finished: (offset: string) => void;
  /** Tells the group this member is alive; throws when the group is rebalancing. Cheap: sent at most every 500 ms. */
  heartbeat: () => Promise<void>;
  /** Stops fetching this partition; the returned function resumes it. */
  pause: () => () => void;
  /** False once the consumer stops or a seek made the rest of this batch stale: stop handling it. */
  current: () => boolean;
  /** Commits finished offsets if the commit interval passed (never when offsets go in transactions). */
  commitIfDue: () => Promise<void>;
}

/** A running group member, as the lab drives it. */
export interface GroupConsumer {
  /** The partition's next fetch starts at `offset` (the batch in hand turns stale). */
  seek: (topic: string, partition: number, offset: string) => void;
  /** Leaves the group (its partitions move at once), after the batches in hand are through. */
  disconnect: () => Promise<void>;
}

/**
 * Short session timeout so a crashed instance is noticed in seconds (6 s is the broker's minimum by default);
 * offsets are committed only after an event was finished (at-least-once). Consumers read only committed
 * transactions (kafkajs's default isolation, read_committed), so an aborted exactly-once attempt is never seen.
 */
export const SESSION_TIMEOUT_MS = 6_000;
const AUTO_COMMIT_MS = 500;

/**
 * A group member that hands its handler a partition's batch at a time (kafkajs `eachBatch`) instead of one
 * event at a time: the handler can start on the next event while the previous one's outputs are on their way
 * to Kafka, and marks events finished itself (`eachBatchAutoResolve` off), so a failed or held event stops
 * the committed offset where it is.
 */
export async function startGroupConsumer(
  kafka: Kafka,
  options: GroupConsumerOptions,
  handle: (batch: PartitionBatch) => Promise<void>,
): Promise<GroupConsumer> {
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
  const autoCommit = options.autoCommit ?? true;
  await consumer.run({
    partitionsConsumedConcurrently: options.partitionsAtOnce,
    autoCommit,
    autoCommitInterval: AUTO_COMMIT_MS,
    eachBatchAutoResolve: false,
    eachBatch: (payload) => handle(partitionBatch(payload, autoCommit)),
  });
  return {
    seek: (topic, partition, offset) => consumer.seek({ topic, partition, offset }),
    disconnect: () => consumer.disconnect(),
  };
}

function partitionBatch(payload: EachBatchPayload, autoCommit: boolean): PartitionBatch {
  const batch: Batch = payload.batch;
  return {
    topic: batch.topic,
    partition: batch.partition,
    records: batch.messages,
    finished: (offset) => payload.resolveOffset(offset),
    heartbeat: () => payload.heartbeat(),
    pause: () => payload.pause(),
    current: () => payload.isRunning() && !payload.isStale(),
    // kafkajs's commitOffsetsIfNecessary commits even with autoCommit off: offsets of an exactly-once
    // service must move only inside its transactions.
    commitIfDue: () => (autoCommit ? payload.commitOffsetsIfNecessary() : Promise.resolve()),
  };
}
