import { createReadStream } from 'node:fs';
import { text } from 'node:stream/consumers';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RecordingInfo } from '@lab/model';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { AppError } from '../errors.js';
import { replayPage } from '../recorder/export.js';
import { RECORDING_ID } from '../recorder/store.js';

const Params = Type.Object({ id: Type.String({ maxLength: 40 }) });

/**
 * `GET /api/recordings`: every run recorded (newest first, the current run marked live);
 * `GET /api/recordings/:id`: one as NDJSON (see RecordingLine), the current run as far as it is written;
 * `GET /api/recordings/:id/replay.html`: one as a self-contained replay page to download (plays from file://).
 */
export const recordingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/recordings', { schema: { response: { 200: Type.Array(RecordingInfo) } } }, async (request) =>
    request.workspace.lab.recorder.list(),
  );

  const open = (request: FastifyRequest, id: string) => {
    const { recorder, recordings: store } = request.workspace.lab;
    if (!RECORDING_ID.test(id)) {
      throw new AppError(400, `"${id}" is not a recording id (they look like 20260101T120000Z-a1b2c3)`, 'id');
    }
    const stream = recorder.liveId === id ? createReadStream(store.rawPath(id)) : store.open(id);
    if (!stream) throw new AppError(404, `No recording "${id}": it was never made or has been rotated out`, 'id');
    return stream;
  };

  app.get('/api/recordings/:id', { schema: { params: Params } }, async (request, reply) =>
    reply
      .type('application/x-ndjson; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(open(request, request.params.id)),
  );

  app.get('/api/recordings/:id/replay.html', { schema: { params: Params } }, async (request, reply) => {
    const recording = await text(open(request, request.params.id));
    let page: string;
    try {
      page = replayPage(recording);
    } catch (error) {
      throw new AppError(503, (error as Error).message);
    }
    // A download, never rendered here: the page runs from the learner's disk, under no server's CSP.
    return reply
      .type('text/html; charset=utf-8')
      .header('content-disposition', `attachment; filename="kafka-lab-replay-${request.params.id}.html"`)
      .send(page);
  });
};
