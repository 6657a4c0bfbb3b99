import type { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { LabAdmin } from './admin.js';

/** A kafkajs client whose admins answer fetchTopicOffsets with `answers`, one admin after another. */
function kafkaWith(answers: (() => Promise<unknown>)[]) {
  let made = 0;
  const kafka = {
    admin: () => {
      const answer = answers[Math.min(made++, answers.length - 1)]!;
      return { connect: async () => {}, disconnect: async () => {}, fetchTopicOffsets: answer };
    },
  };
  return { kafka: kafka as unknown as Kafka, made: () => made };
}

describe('LabAdmin', () => {
  it('reads a topic again on a new client when kafkajs fails inside itself on metadata it kept from too early', async () => {
    const stale = async () => {
      // What kafkajs 2.2.4 throws when its cached metadata has the topic but no partitions yet.
      throw new TypeError("Cannot destructure property 'partitions' of 'high.pop(...)' as it is undefined.");
    };
    const fresh = async () => [
      { partition: 1, high: '7', low: '0' },
      { partition: 0, high: '12', low: '2' },
    ];
    const { kafka, made } = kafkaWith([stale, fresh]);
    const offsets = await new LabAdmin(kafka).topicOffsets('lab.orders.dlq');
    expect(offsets).toEqual({ end: [12, 7], start: [2, 0] });
    expect(made()).toBe(2);
  });

  it('gives up with the error when a new client fails the same way every time', async () => {
    const broken = async () => {
      throw new TypeError('kafkajs broke');
    };
    const { kafka, made } = kafkaWith([broken]);
    await expect(new LabAdmin(kafka).topicOffsets('lab.orders')).rejects.toThrow('kafkajs broke');
    expect(made()).toBe(5);
  });
});
