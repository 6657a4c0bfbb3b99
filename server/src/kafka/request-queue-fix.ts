import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4 (its last release) keeps every connection busy while idle: once a request was answered,
 * `RequestQueue.scheduleCheckPendingRequests` re-arms a timer of `throttledUntil - now` — negative when not
 * throttled, so Node fires it after 1 ms — even with no request waiting, and the check re-arms it again, for
 * ever. Each of an instance's sockets then wakes the thread a thousand times a second
 * (https://github.com/tulios/kafkajs/issues/1556, fix proposed in pull request 1667, never released).
 *
 * The replacement below arms the timer only when a request is waiting (throttled, or over the in-flight limit),
 * as the original intends; an answered request still checks the queue at once (`fulfillRequest` does).
 * Loaded by client.ts, so every thread that makes a Kafka client has it. kafkajs is pinned to 2.2.4 in
 * server/package.json; request-queue-fix.test.ts fails if its internals move.
 */
interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** How soon a request held only by the in-flight limit is looked at again (kafkajs's own interval). */
const RECHECK_MS = 10;

const require = createRequire(import.meta.url);
export const RequestQueueClass = require('kafkajs/src/network/requestQueue/index.js') as {
  new (options: Record<string, unknown>): RequestQueue;
  prototype: RequestQueue;
};

RequestQueueClass.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueue) {
  if (this.pending.length === 0 || this.throttleCheckTimeoutId) return;
  const throttledFor = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    throttledFor > 0 ? throttledFor : RECHECK_MS,
  );
};
