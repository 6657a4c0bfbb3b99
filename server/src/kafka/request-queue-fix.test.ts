import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RequestQueueClass } from './request-queue-fix.js';

/** kafkajs's own request queue of one connection, with the lab's fix applied (client.ts loads it). */
function queue(maxInFlightRequests: number | null = null) {
  const quiet = { debug: () => {}, warn: () => {} };
  const q = new RequestQueueClass({
    maxInFlightRequests,
    requestTimeout: 5_000,
    clientId: 't',
    broker: 'b',
    logger: quiet,
  });
  let correlationId = 0;
  const sent: number[] = [];
  const push = () => {
    const id = ++correlationId;
    const answered = new Promise((resolve, reject) => {
      (q as unknown as { push: (r: unknown) => void }).push({
        entry: { correlationId: id, resolve, reject },
        expectResponse: true,
        sendRequest: () => sent.push(id),
      });
    });
    return { id, answered };
  };
  const answer = (id: number) =>
    (q as unknown as { fulfillRequest: (r: unknown) => void }).fulfillRequest({
      correlationId: id,
      payload: null,
      size: 0,
    });
  return { q, push, answer, sent };
}

describe('kafkajs request queue (idle-loop fix)', () => {
  it('arms no timer once a request is answered and nothing waits: an idle connection stays asleep', async () => {
    const { q, push, answer, sent } = queue();
    const { id, answered } = push();
    expect(sent).toEqual([id]);
    answer(id);
    await answered;
    // Unfixed, kafkajs re-arms a 1 ms timer here, and again from it, for as long as the connection lives.
    expect(q.throttleCheckTimeoutId).toBeNull();
    await sleep(20);
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('still sends a request held by broker throttling once the throttle ends', async () => {
    const { q, push, sent } = queue();
    (q as unknown as { maybeThrottle: (ms: number) => void }).maybeThrottle(30);
    const { id } = push();
    expect(sent).toEqual([]);
    expect(q.throttleCheckTimeoutId).not.toBeNull();
    await sleep(80);
    expect(sent).toEqual([id]);
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('sends a request held by the in-flight limit as soon as an answer frees a slot', async () => {
    const { push, answer, sent } = queue(1);
    const first = push();
    const second = push();
    expect(sent).toEqual([first.id]);
    answer(first.id);
    expect(sent).toEqual([first.id, second.id]);
  });
});
