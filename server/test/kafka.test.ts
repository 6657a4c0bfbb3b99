import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { describe, expect, inject, it } from 'vitest';
import { createKafka } from '../src/kafka/client.js';
import { waitFor } from './server-process.js';

describe('the broker the supervisor started', () => {
  it('takes produced events and hands them to a consumer group, with committed offsets', async () => {
    const kafka = createKafka(inject('kafkaBrokers').split(','), 'it-produce-consume');
    const topic = `it.${randomUUID()}`;
    const group = `it.group.${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });

    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const sent = Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 5}`, value: `event-${i}` }));
    await producer.send({ topic, messages: sent });

    const consumer = kafka.consumer({ groupId: group, sessionTimeout: 6_000, heartbeatInterval: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: string[] = [];
    await consumer.run({ eachMessage: async ({ message }) => void received.push(String(message.value)) });
    await waitFor(() => received.length >= sent.length, 30_000, 'all 30 events consumed');
    expect(received.sort()).toEqual(sent.map((m) => m.value).sort());

    // The group's committed offsets, read back from Kafka, cover every event.
    await waitFor(
      async () => {
        const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
        const committed = offsets?.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
        return committed === sent.length;
      },
      15_000,
      'offsets committed',
    );

    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.deleteGroups([group]);
    await admin.disconnect();
  });
});
