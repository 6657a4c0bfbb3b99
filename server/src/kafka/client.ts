import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';

/**
 * The one place that makes kafkajs clients. kafkajs logs every retry to the console by default, which
 * buries the lab's own messages when the broker is down; the lab reports Kafka's state itself instead.
 */
export function createKafka(brokers: string[], clientId: string, extra: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 5_000,
    ...extra,
  });
}

/** One Metadata round trip: resolves with the cluster's brokers, rejects when Kafka does not answer. */
export async function describeBrokers(kafka: Kafka): Promise<string[]> {
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.map((b) => `${b.host}:${b.port}`);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
