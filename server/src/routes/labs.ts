import { Command } from '@lab/model';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { Lab } from '../lab.js';

/**
 * The guided labs: list, read, start (or restart), the step buttons' commands, Continue, predictions, the
 * learner's kept topology, the scenario player.
 */
export const labRoutes: FastifyPluginAsync<{ lab: Lab }> = async (app, { lab }) => {
  const { labs } = lab;
  app.get('/api/labs', async () => labs.list());
  app.get('/api/labs/progress', async () => labs.progress() ?? null);
  app.get<{ Params: { id: string } }>('/api/labs/:id', async (request) => labs.definition(request.params.id));
  app.post<{ Params: { id: string } }>('/api/labs/:id/start', async (request) => {
    await labs.start(request.params.id);
    return { ok: true };
  });
  app.post('/api/labs/leave', async () => {
    labs.leave();
    return { ok: true, kept: labs.kept() };
  });
  /** The learner has read the current step's explanation: freeze it, start the next step. */
  app.post('/api/labs/continue', async () => {
    const { snapshot, ...finished } = labs.continue();
    return { ok: true, step: finished, snapshot };
  });
  app.post<{ Body: { nodes: string[] } }>(
    '/api/labs/predict',
    {
      schema: {
        body: Type.Object(
          { nodes: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 300 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      labs.predict(request.body.nodes);
      return { ok: true };
    },
  );
  /** The learner's own topology, kept aside when a lab started: offered back when they leave. */
  app.get('/api/labs/kept-topology', async () => labs.kept());
  app.post('/api/labs/kept-topology/restore', async () => {
    await labs.restoreKept();
    return { ok: true };
  });
  app.post('/api/labs/kept-topology/discard', async () => {
    labs.discardKept();
    return { ok: true };
  });
  app.post<{ Body: { command: Command } }>(
    '/api/labs/command',
    { schema: { body: Type.Object({ command: Command }, { additionalProperties: false }) } },
    async (request) => ({ ok: true, ...(await labs.execute(request.body.command)) }),
  );
  app.post<{ Body: { do: 'play' | 'pause' | 'restart' } }>(
    '/api/labs/scenario',
    { schema: { body: Type.Object({ do: Type.Enum(['play', 'pause', 'restart']) }, { additionalProperties: false }) } },
    async (request) => {
      if (request.body.do === 'play') labs.playScenario();
      else if (request.body.do === 'pause') labs.pauseScenario();
      else labs.restartScenario();
      return { ok: true, scenario: labs.progress()?.scenario };
    },
  );
};
