import { idRecord } from '@lab/model';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { Lab } from '../lab.js';
import { RuntimeError } from '../runtime/errors.js';

const Limit = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) });

/** The live snapshot, the event log, a topic's latest messages and its delivery record, over plain HTTP. */
export const stateRoutes: FastifyPluginAsync<{ lab: Lab }> = async (app, { lab }) => {
  app.get('/api/state', async () => lab.live.snapshot());

  app.get<{ Querystring: { limit?: number } }>('/api/log', { schema: { querystring: Limit } }, async (request) =>
    lab.log.recent(request.query.limit ?? 200),
  );

  app.get<{ Params: { id: string }; Querystring: { limit?: number } }>(
    '/api/topics/:id/messages',
    { schema: { querystring: Limit } },
    async (request) => lab.runtime.messages(request.params.id, request.query.limit ?? 50),
  );

  /**
   * One event's journey by trace id: every hop (topic record, service, REST call) with its times. Found in a
   * bounded index, not by scanning recent messages; opening one counts for a lab step that asks for it.
   */
  app.get<{ Params: { traceId: string } }>(
    '/api/traces/:traceId',
    { schema: { params: Type.Object({ traceId: Type.String({ minLength: 1, maxLength: 80 }) }) } },
    async (request) => {
      const journey = lab.runtime.traces.find(request.params.traceId);
      if (!journey)
        throw new RuntimeError(
          404,
          `No event with trace id "${request.params.traceId}" is known: the lab keeps the journeys of the latest ${lab.runtime.traces.capacity.toLocaleString('en-US')} events of this run`,
          'traceId',
        );
      lab.labs.noteJourney();
      return journey;
    },
  );

  /** Every event acknowledged on the topic against what each consuming service finished: lost and duplicated. */
  app.get<{ Params: { id: string } }>('/api/topics/:id/delivery', async (request) => {
    const topicId = request.params.id;
    lab.runtime.messages(topicId, 1); // 404 for an unknown topic, same message as the browser's
    const groups = idRecord<unknown>();
    for (const link of lab.runtime.current.links) {
      if (link.kind !== 'consume' || link.from !== topicId) continue;
      const missing = lab.runtime.ledger.missing(topicId, link.to);
      groups[link.to] = {
        processed: lab.runtime.ledger.processedCount(topicId, link.to),
        missing: missing.count,
        missingSample: missing.sample,
        duplicates: lab.runtime.ledger.duplicatesOf(topicId, link.to),
        tracked: missing.tracked,
      };
    }
    return { topic: topicId, produced: lab.runtime.ledger.producedCount(topicId), groups };
  });
};
