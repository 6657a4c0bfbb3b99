import { type IHeaders, Kafka, type KafkaConfig, logLevel, Partitioners, type Producer } from 'kafkajs';
import './request-queue-fix.js';

/** The kafkajs types the rest of the server may name: this folder is the only one that imports kafkajs. */
export type { Kafka };
/** Headers of a Kafka record as kafkajs reads and writes them. */
export type KafkaHeaders = IHeaders;

/**
 * The one place that makes kafkajs clients. kafkajs logs every retry to the console by default, which
 * buries the lab's own messages when the broker is down; the lab reports Kafka's state itself instead.
 * `extra` may carry the cluster's TLS and SASL settings (see security.ts).
 */
export function createKafka(brokers: string[], clientId: string, extra: Partial<KafkaConfig> = {}): Kafka {
  const { sasl, ssl, ...rest } = extra;
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 5_000,
    ...rest,
    // kafkajs writes its authenticator into the SASL object it is given; a copy keeps the caller's settings
    // plain data that can still be sent to a worker thread.
    ...(sasl && { sasl: { ...sasl } }),
    ...(ssl && { ssl: typeof ssl === 'object' ? { ...ssl } : ssl }),
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

/** A plain producer with Kafka's own key partitioner (murmur2, the Java client's), for tools and benches. */
export function plainProducer(kafka: Kafka): Producer {
  return kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
}
