import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { labRoutes } from '../routes/labs.js';
import { liveRoutes } from '../routes/live.js';
import { nodeRoutes } from '../routes/nodes.js';
import { recordingRoutes } from '../routes/recordings.js';
import { runRoutes } from '../routes/run.js';
import { stateRoutes } from '../routes/state.js';
import { topologyRoutes } from '../routes/topology.js';
import type { Workspace } from './workspaces.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The workspace the request acts on: the default one at `/`, a named one under `/w/<name>/`. */
    workspace: Workspace;
  }
}

/**
 * Every route that acts on one lab, with the workspace it acts on resolved before anything else runs (an
 * invalid or unavailable name answers here, before any body is read). Registered once at `/` for the
 * default workspace and once under `/w/:workspace` for named ones: the same routes, one contract.
 */
export const workspaceScope: FastifyPluginAsync<{ resolve: (request: FastifyRequest) => Workspace }> = async (
  app,
  { resolve },
) => {
  app.decorateRequest('workspace', undefined as unknown as Workspace);
  app.addHook('onRequest', async (request) => {
    // A classroom attendee reaches their own workspace only: checked on the name the router decoded, before
    // the workspace is resolved (which would create one), so no spelling of another name gets through.
    const attendee = request.attendee;
    if (attendee && (request.params as { workspace?: string }).workspace !== attendee.id)
      throw new AppError(
        403,
        `This is not your workspace: as an attendee you use yours only, /w/${attendee.id}/`,
        'workspace',
      );
    request.workspace = resolve(request);
    request.workspace.touch();
  });
  await app.register(liveRoutes);
  await app.register(topologyRoutes);
  await app.register(runRoutes);
  await app.register(nodeRoutes);
  await app.register(stateRoutes);
  await app.register(labRoutes);
  await app.register(recordingRoutes);
};
