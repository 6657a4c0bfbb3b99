import { Command } from '@lab/model';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';

/**
 * The guided labs: list, read, start (or restart), the step buttons' commands, Continue, predictions, the
 * learner's kept topology, the scenario player.
 */
export const labRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/labs', async (request) => request.workspace.lab.labs.list());
  app.get('/api/labs/progress', async (request) => request.workspace.lab.labs.progress() ?? null);
  app.get<{ Params: { id: string } }>('/api/labs/:id', async (request) =>
    request.workspace.lab.labs.definition(request.params.id),
  );
  app.post<{ Params: { id: string } }>('/api/labs/:id/start', async (request) => {
    await request.workspace.lab.labs.start(request.params.id);
    return { ok: true };
  });
  app.post('/api/labs/leave', async (request) => {
    request.workspace.lab.labs.leave();
    return { ok: true, kept: request.workspace.lab.labs.kept() };
  });
  /** The learner has read the current step's explanation: freeze it, start the next step. */
  app.post('/api/labs/continue', async (request) => {
    const { snapshot, ...finished } = request.workspace.lab.labs.continue();
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
      request.workspace.lab.labs.predict(request.body.nodes);
      return { ok: true };
    },
  );
  /** The learner's own topology, kept aside when a lab started: offered back when they leave. */
  app.get('/api/labs/kept-topology', async (request) => request.workspace.lab.labs.kept());
  app.post('/api/labs/kept-topology/restore', async (request) => {
    await request.workspace.lab.labs.restoreKept();
    return { ok: true };
  });
  app.post('/api/labs/kept-topology/discard', async (request) => {
    request.workspace.lab.labs.discardKept();
    return { ok: true };
  });
  app.post<{ Body: { command: Command } }>(
    '/api/labs/command',
    { schema: { body: Type.Object({ command: Command }, { additionalProperties: false }) } },
    async (request) => ({ ok: true, ...(await request.workspace.lab.labs.execute(request.body.command)) }),
  );
  app.post<{ Body: { do: 'play' | 'pause' | 'restart' } }>(
    '/api/labs/scenario',
    { schema: { body: Type.Object({ do: Type.Enum(['play', 'pause', 'restart']) }, { additionalProperties: false }) } },
    async (request) => {
      if (request.body.do === 'play') request.workspace.lab.labs.playScenario();
      else if (request.body.do === 'pause') request.workspace.lab.labs.pauseScenario();
      else request.workspace.lab.labs.restartScenario();
      return { ok: true, scenario: request.workspace.lab.labs.progress()?.scenario };
    },
  );
};
