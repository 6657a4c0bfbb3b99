import { deadLetterTopicId, impliedDeadLetterTopics, type TopicMessage, type Topology } from '@lab/model';
import { AppError } from '../errors.js';
import { createKafka } from '../kafka/client.js';
import type { RuntimeOptions } from './options.js';
import { type RedriveResult, redrive } from './redrive.js';
import type { RunState } from './run-state.js';
import { nodeById, topicName } from './specs.js';

/**
 * The namespace's topics on Kafka: created before anything uses them, watched by the message browser, read
 * back, and a dead-letter topic redriven.
 */
export class RunTopics {
  constructor(
    private readonly options: RuntimeOptions,
    private readonly state: RunState,
  ) {}

  async ensure(topology: Topology): Promise<void> {
    const topics = allTopics(topology);
    if (topics.length === 0) return;
    await kafkaCall(() =>
      this.options.admin.ensureTopics(
        topics.map((t) => ({ name: topicName(this.options, t.id), partitions: t.partitions })),
      ),
    );
  }

  /** The message browser follows every topic of the topology; a failure to subscribe is logged, not fatal. */
  async watch(): Promise<void> {
    const topics = allTopics(this.state.topology).map((t) => topicName(this.options, t.id));
    await this.options.observer
      .watch(topics, async (topic) => (await this.options.admin.topicOffsets(topic)).end)
      .catch((err) =>
        this.options.log.add({
          level: 'warn',
          kind: 'kafka',
          message: `Message browser could not subscribe: ${err instanceof Error ? err.message : String(err)}`,
        }),
      );
  }

  messages(topicId: string, limit: number): TopicMessage[] {
    if (!allTopics(this.state.topology).some((t) => t.id === topicId))
      throw new AppError(404, `No topic "${topicId}" in the topology`, 'id');
    return this.options.observer.latest(topicName(this.options, topicId), limit);
  }

  /** Republishes a dead-letter topic's events to the topic they came from, for the services that failed them. */
  async redrive(topicId: string): Promise<RedriveResult> {
    this.messages(topicId, 1); // 404 for an unknown topic
    const topology = this.state.topology;
    const origin = topicId.endsWith('.dlq') ? topicId.slice(0, -'.dlq'.length) : undefined;
    if (!origin || nodeById(topology, origin)?.kind !== 'topic' || deadLetterTopicId(origin) !== topicId)
      throw new AppError(400, `"${topicId}" is not a dead-letter topic: only <topic>.dlq can be redriven`, 'id');
    if (!this.state.running) throw new AppError(409, 'The topology is not running: press Run first');
    const result = await kafkaCall(() =>
      redrive(createKafka(this.options.brokers, 'lab-redrive', this.options.security), this.options.admin, {
        dlqTopic: topicName(this.options, topicId),
        originTopic: topicName(this.options, origin),
        groupId: `${this.options.prefix}redrive.${topicId}`,
      }),
    );
    const to = Object.entries(result.byService)
      .map(([service, n]) => `${n} for ${service}`)
      .join(', ');
    this.options.log.add({
      level: 'info',
      kind: 'edit',
      nodeId: topicId,
      message: result.redriven
        ? `Redrive: ${result.redriven} events from ${topicId} back to ${origin} (${to})`
        : `Redrive: ${topicId} has no events that were not redriven already`,
    });
    return result;
  }
}

/** The topics to create and watch: the drawn ones and the dead-letter topics they imply (one partition each). */
export function allTopics(topology: Topology): { id: string; partitions: number }[] {
  const drawn = topology.nodes.flatMap((n) => (n.kind === 'topic' ? [{ id: n.id, partitions: n.partitions }] : []));
  return [...drawn, ...impliedDeadLetterTopics(topology).map((t) => ({ id: t.id, partitions: 1 }))];
}

/** Kafka calls from commands: a Kafka that does not answer is a 503 the user can read, not a crash. */
export async function kafkaCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new AppError(503, `Kafka did not answer: ${err instanceof Error ? err.message : String(err)}`);
  }
}
