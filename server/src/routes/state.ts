import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  type GroupDelivery,
  idRecord,
  Journey,
  LogEntry,
  RedriveResult,
  Snapshot,
  TopicDelivery,
  TopicMessage,
} from '@lab/model';
import Type from 'typebox';
import { AppError } from '../errors.js';

const Limit = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) });
const TopicParams = Type.Object({ id: Type.String() });

/** The live snapshot, the event log, a topic's latest messages and its delivery record, over plain HTTP. */
export const stateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/state', { schema: { response: { 200: Snapshot } } }, async (request) =>
    request.workspace.lab.live.snapshot(),
  );

  app.get('/api/log', { schema: { querystring: Limit, response: { 200: Type.Array(LogEntry) } } }, async (request) =>
    request.workspace.lab.log.recent(request.query.limit ?? 200),
  );

  app.get(
    '/api/topics/:id/messages',
    { schema: { params: TopicParams, querystring: Limit, response: { 200: Type.Array(TopicMessage) } } },
    async (request) => request.workspace.lab.runtime.messages(request.params.id, request.query.limit ?? 50),
  );

  /**
   * One event's journey by trace id: every hop (topic record, service, REST call) with its times. Found in a
   * bounded index, not by scanning recent messages; opening one counts for a lab step that asks for it.
   */
  app.get(
    '/api/traces/:traceId',
    {
      schema: {
        params: Type.Object({ traceId: Type.String({ minLength: 1, maxLength: 80 }) }),
        response: { 200: Journey },
      },
    },
    async (request) => {
      const { runtime } = request.workspace.lab;
      const journey = runtime.traces.find(request.params.traceId);
      if (!journey)
        throw new AppError(
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
  app.get(
    '/api/topics/:id/delivery',
    { schema: { params: TopicParams, response: { 200: TopicDelivery } } },
    async (request) => {
      const topicId = request.params.id;
      const { runtime } = request.workspace.lab;
      runtime.messages(topicId, 1); // 404 for an unknown topic, same message as the browser's
      const { ledger } = runtime;
      const groups = idRecord<GroupDelivery>();
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
    },
  );

  /** Republishes a dead-letter topic's events to the topic they came from. */
  app.post(
    '/api/topics/:id/redrive',
    { schema: { params: TopicParams, response: { 200: RedriveResult } } },
    async (request) => request.workspace.lab.runtime.redrive(request.params.id),
  );
};
