import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Command,
  CommandDone,
  Continued,
  KeptTopology,
  LabDefinition,
  LabSummary,
  LeftLab,
  Ok,
  ProgressReply,
  ScenarioState,
} from '@lab/model';
import Type from 'typebox';

const Params = Type.Object({ id: Type.String() });

/**
 * The guided labs: list, read, start (or restart), the step buttons' commands, Continue, predictions, the
 * learner's kept topology, the scenario player.
 */
export const labRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/labs', { schema: { response: { 200: Type.Array(LabSummary) } } }, async (request) =>
    request.workspace.lab.labs.list(),
  );
  app.get('/api/labs/progress', { schema: { response: { 200: ProgressReply } } }, async (request) => {
    return request.workspace.lab.labs.progress() ?? null;
  });
  app.get('/api/labs/:id', { schema: { params: Params, response: { 200: LabDefinition } } }, async (request) =>
    request.workspace.lab.labs.definition(request.params.id),
  );
  app.post('/api/labs/:id/start', { schema: { params: Params, response: { 200: Ok } } }, async (request) => {
    await request.workspace.lab.labs.start(request.params.id);
    return { ok: true } as const;
  });
  app.post('/api/labs/leave', { schema: { response: { 200: LeftLab } } }, async (request) => {
    request.workspace.lab.labs.leave();
    return { ok: true, kept: request.workspace.lab.labs.kept() } as const;
  });
  /** The learner has read the current step's explanation: freeze it, start the next step. */
  app.post('/api/labs/continue', { schema: { response: { 200: Continued } } }, async (request) => {
    const { snapshot, ...finished } = request.workspace.lab.labs.continue();
    return { ok: true, step: finished, snapshot } as const;
  });
  app.post(
    '/api/labs/predict',
    {
      schema: {
        body: Type.Object(
          { nodes: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 300 }) },
          { additionalProperties: false },
        ),
        response: { 200: Ok },
      },
    },
    async (request) => {
      request.workspace.lab.labs.predict(request.body.nodes);
      return { ok: true } as const;
    },
  );
  /** The learner's own topology, kept aside when a lab started: offered back when they leave. */
  app.get('/api/labs/kept-topology', { schema: { response: { 200: KeptTopology } } }, async (request) =>
    request.workspace.lab.labs.kept(),
  );
  app.post('/api/labs/kept-topology/restore', { schema: { response: { 200: Ok } } }, async (request) => {
    await request.workspace.lab.labs.restoreKept();
    return { ok: true } as const;
  });
  app.post('/api/labs/kept-topology/discard', { schema: { response: { 200: Ok } } }, async (request) => {
    request.workspace.lab.labs.discardKept();
    return { ok: true } as const;
  });
  app.post(
    '/api/labs/command',
    {
      schema: {
        body: Type.Object({ command: Command }, { additionalProperties: false }),
        response: { 200: CommandDone },
      },
    },
    async (request) => ({ ok: true as const, ...(await request.workspace.lab.labs.execute(request.body.command)) }),
  );
  app.post(
    '/api/labs/scenario',
    {
      schema: {
        body: Type.Object({ do: Type.Enum(['play', 'pause', 'restart']) }, { additionalProperties: false }),
        response: { 200: ScenarioState },
      },
    },
    async (request) => {
      if (request.body.do === 'play') request.workspace.lab.labs.playScenario();
      else if (request.body.do === 'pause') request.workspace.lab.labs.pauseScenario();
      else request.workspace.lab.labs.restartScenario();
      return { ok: true, scenario: request.workspace.lab.labs.progress()?.scenario } as const;
    },
  );
};
