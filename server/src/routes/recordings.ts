import { createReadStream } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { Recorder } from '../recorder/recorder.js';
import { RECORDING_ID, type RecordingStore } from '../recorder/store.js';
import { RuntimeError } from '../runtime/errors.js';

const Params = Type.Object({ id: Type.String({ maxLength: 40 }) });

/**
 * `GET /api/recordings`: every run recorded (newest first, the current run marked live);
 * `GET /api/recordings/:id`: one as NDJSON (see RecordingLine), the current run as far as it is written.
 */
export const recordingRoutes: FastifyPluginAsync<{ recorder: Recorder; store: RecordingStore }> = async (
  app,
  { recorder, store },
) => {
  app.get('/api/recordings', async () => recorder.list());

  app.get<{ Params: { id: string } }>('/api/recordings/:id', { schema: { params: Params } }, async (request, reply) => {
    const { id } = request.params;
    if (!RECORDING_ID.test(id)) {
      throw new RuntimeError(400, `"${id}" is not a recording id (they look like 20260101T120000Z-a1b2c3)`, 'id');
    }
    const text = recorder.liveId === id ? createReadStream(store.rawPath(id)) : store.open(id);
    if (!text) throw new RuntimeError(404, `No recording "${id}": it was never made or has been rotated out`, 'id');
    return reply.type('application/x-ndjson; charset=utf-8').header('cache-control', 'no-store').send(text);
  });
};
