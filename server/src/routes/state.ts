import { idRecord } from '@lab/model';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import { RuntimeError } from '../runtime/errors.js';

const Limit = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) });

/** The live snapshot, the event log, a topic's latest messages and its delivery record, over plain HTTP. */
export const stateRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/state', async (request) => request.workspace.lab.live.snapshot());

  app.get<{ Querystring: { limit?: number } }>('/api/log', { schema: { querystring: Limit } }, async (request) =>
    request.workspace.lab.log.recent(request.query.limit ?? 200),
  );

  app.get<{ Params: { id: string }; Querystring: { limit?: number } }>(
    '/api/topics/:id/messages',
    { schema: { querystring: Limit } },
    async (request) => request.workspace.lab.runtime.messages(request.params.id, request.query.limit ?? 50),
  );

  /**
   * One event's journey by trace id: every hop (topic record, service, REST call) with its times. Found in a
   * bounded index, not by scanning recent messages; opening one counts for a lab step that asks for it.
   */
  app.get<{ Params: { traceId: string } }>(
    '/api/traces/:traceId',
    { schema: { params: Type.Object({ traceId: Type.String({ minLength: 1, maxLength: 80 }) }) } },
    async (request) => {
      const { runtime } = request.workspace.lab;
      const journey = runtime.traces.find(request.params.traceId);
      if (!journey)
        throw new RuntimeError(
          404,
          `No event with trace id "${request.params.traceId}" is known: the lab keeps the journeys of the latest ${runtime.traces.capacity.toLocaleString('en-US')} events of this run`,
          'traceId',
        );
      request.workspace.lab.labs.noteJourney();
      return journey;
    },
  );

  /**
   * Every event acknowledged on the topic against how each consuming service finished it: each is in exactly
   * one of processed, deadLettered, lost, or missing (pending: not finished yet). Plus duplicates (processed
   * again) and dropped (recognised by an idempotent consumer).
   */
  app.get<{ Params: { id: string } }>('/api/topics/:id/delivery', async (request) => {
    const topicId = request.params.id;
    const { runtime } = request.workspace.lab;
    runtime.messages(topicId, 1); // 404 for an unknown topic, same message as the browser's
    const { ledger } = runtime;
    const groups = idRecord<unknown>();
    for (const link of runtime.current.links) {
      if (link.kind !== 'consume' || link.from !== topicId) continue;
      const missing = ledger.missing(topicId, link.to);
      const account = ledger.account(topicId, link.to);
      groups[link.to] = {
        processed: account.processed,
        deadLettered: account.deadLettered,
        lost: account.lost,
        missing: missing.count,
        missingSample: missing.sample,
        lostSample: ledger.sampleOf(topicId, link.to, 'lost'),
        deadLetteredSample: ledger.sampleOf(topicId, link.to, 'deadLettered'),
        duplicates: ledger.duplicatesOf(topicId, link.to),
        dropped: ledger.droppedOf(topicId, link.to),
        tracked: missing.tracked,
      };
    }
    return { topic: topicId, produced: ledger.producedCount(topicId), groups };
  });

  /** Republishes a dead-letter topic's events to the topic they came from. */
  app.post<{ Params: { id: string } }>('/api/topics/:id/redrive', async (request) =>
    request.workspace.lab.runtime.redrive(request.params.id),
  );
};
