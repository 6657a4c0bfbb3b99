import type { Admin, Kafka } from 'kafkajs';

export interface TopicOffsets {
  /** Per partition, the offset the next event will get (the "end offset", high watermark). */
  end: number[];
  /** Per partition, the first offset still kept (low watermark). */
  start: number[];
}

/** A group's state as Kafka's coordinator reports it (Stable, PreparingRebalance, CompletingRebalance, Empty…). */
export type GroupState = string;

/**
 * The admin operations the runtime and telemetry need, on one long-lived admin connection (reconnected
 * when Kafka comes back). Names passed in are full Kafka names; callers own the namespace prefix.
 */
export class LabAdmin {
  private admin: Admin | undefined;

  constructor(private readonly kafka: Kafka) {}

  private async client(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin({ retry: { retries: 2 } });
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  /**
   * Runs an admin call. Kafka answers some calls with retriable errors while its metadata settles (a topic
   * just created or deleted: "This server does not host this topic-partition"); those are tried again a few
   * times. On failure the connection is dropped so the next call reconnects.
   *
   * kafkajs also keeps the metadata it read while a topic was still being made (the topic, no partitions yet)
   * for up to five minutes, and then fails inside itself with a TypeError (fetchTopicOffsets: "Cannot
   * destructure property 'partitions' of 'high.pop(...)'"); a Redrive pressed then answered 503. Such an
   * error is tried again on a new client, which reads the metadata afresh.
   */
  private async use<T>(fn: (admin: Admin) => Promise<T>, attempts = 5): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(await this.client());
      } catch (err) {
        const retriable = (err as { retriable?: boolean }).retriable === true;
        const staleClient = err instanceof TypeError;
        if (staleClient) await this.close();
        if ((retriable || staleClient) && attempt < attempts) {
          await new Promise((r) => setTimeout(r, 200 * attempt));
          continue;
        }
        await this.close();
        throw err;
      }
    }
  }

  /** Creates missing topics and adds partitions to those with fewer than wanted. Returns partition counts. */
  async ensureTopics(wanted: { name: string; partitions: number }[]): Promise<Map<string, number>> {
    return this.use(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = wanted.filter((t) => !existing.has(t.name));
      if (missing.length) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: -1 })),
        });
      }
      const counts = await this.partitionCounts(
        admin,
        wanted.map((t) => t.name),
      );
      const grow = wanted.filter((t) => (counts.get(t.name) ?? t.partitions) < t.partitions);
      if (grow.length) {
        await admin.createPartitions({ topicPartitions: grow.map((t) => ({ topic: t.name, count: t.partitions })) });
        for (const t of grow) counts.set(t.name, t.partitions);
      }
      return counts;
    });
  }

  async partitionCountsOf(names: string[]): Promise<Map<string, number>> {
    return this.use((admin) => this.partitionCounts(admin, names));
  }

  private async partitionCounts(admin: Admin, names: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (names.length === 0) return counts;
    const existing = new Set(await admin.listTopics());
    const present = names.filter((n) => existing.has(n));
    if (present.length === 0) return counts;
    const metadata = await admin.fetchTopicMetadata({ topics: present });
    for (const topic of metadata.topics) counts.set(topic.name, topic.partitions.length);
    return counts;
  }

  async topicOffsets(name: string): Promise<TopicOffsets> {
    return this.use(async (admin) => {
      const partitions = (await admin.fetchTopicOffsets(name)).sort((a, b) => a.partition - b.partition);
      return { end: partitions.map((p) => Number(p.high)), start: partitions.map((p) => Number(p.low)) };
    });
  }

  /** Per partition, the id of the broker that leads it (-1 while none does). */
  async leaders(name: string): Promise<number[]> {
    return this.use(async (admin) => {
      const metadata = await admin.fetchTopicMetadata({ topics: [name] });
      const partitions = [...(metadata.topics[0]?.partitions ?? [])].sort((a, b) => a.partitionId - b.partitionId);
      return partitions.map((p) => p.leader);
    });
  }

  /** Committed offsets of a group on a topic, per partition (-1 where nothing is committed yet). */
  async committedOffsets(groupId: string, topic: string): Promise<number[]> {
    return this.use(async (admin) => {
      const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const partitions = (result?.partitions ?? []).sort((a, b) => a.partition - b.partition);
      return partitions.map((p) => Number(p.offset));
    });
  }

  async groupStates(groupIds: string[]): Promise<Map<string, GroupState>> {
    if (groupIds.length === 0) return new Map();
    return this.use(async (admin) => {
      const { groups } = await admin.describeGroups(groupIds);
      return new Map(groups.map((g) => [g.groupId, g.state]));
    });
  }

  /** The topics and consumer groups under a prefix. */
  async namespace(prefix: string): Promise<{ topics: string[]; groups: string[] }> {
    return this.use(async (admin) => {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
      return { topics, groups };
    });
  }

  /**
   * Deletes every topic and group whose name starts with `prefix`, and nothing else. A group whose member
   * crashed keeps that member until its session times out, and Kafka refuses to delete a group with members
   * (NON_EMPTY_GROUP): those are tried again until `emptyWithinMs`, after which the refusal is the answer.
   */
  async deleteNamespace(prefix: string, emptyWithinMs = 15_000): Promise<{ topics: string[]; groups: string[] }> {
    const { topics, groups } = await this.namespace(prefix);
    return this.use(async (admin) => {
      const deadline = Date.now() + emptyWithinMs;
      let left = groups;
      while (left.length) {
        try {
          await admin.deleteGroups(left);
          left = [];
        } catch (err) {
          const refused = (err as { groups?: { groupId: string; error?: { type?: string } }[] }).groups ?? [];
          const notEmpty = refused.filter((g) => g.error?.type === 'NON_EMPTY_GROUP').map((g) => g.groupId);
          if (notEmpty.length === 0 || notEmpty.length < refused.length || Date.now() > deadline) {
            const names = refused.map((g) => `${g.groupId} (${g.error?.type ?? 'refused'})`).join(', ');
            throw new Error(names ? `Kafka refused to delete consumer groups ${names}` : String(err));
          }
          left = notEmpty; // the others were deleted
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      if (topics.length) await admin.deleteTopics({ topics, timeout: 10_000 });
      return { topics, groups };
    });
  }

  async close(): Promise<void> {
    await this.admin?.disconnect().catch(() => {});
    this.admin = undefined;
  }
}
