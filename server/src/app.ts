import websocket from '@fastify/websocket';
import { LIMITS } from '@lab/model';
import Fastify, { type FastifyInstance } from 'fastify';
import { admit } from './classroom/access.js';
import { type ClassroomOptions, classroomRoutes } from './classroom/routes.js';
import { registerErrorHandler } from './errors.js';
import type { Lab } from './lab.js';
import { type KafkaPluginOptions, kafkaPlugin } from './plugins/kafka.js';
import { workspacesPlugin } from './plugins/workspaces.js';
import { healthRoutes } from './routes/health.js';
import { webRoutes } from './routes/web.js';
import { redactToken, registerAccessChecks, registerJsonBodies } from './security.js';
import { workspaceScope } from './workspaces/scope.js';
import { Workspaces } from './workspaces/workspaces.js';

export interface AppOptions {
  /** The lab served at `/` (the default workspace). */
  lab: Lab;
  /** The server's workspaces (named ones under `/w/<name>/`); without them the server hosts `lab` alone. */
  workspaces?: Workspaces;
  /**
   * The server's outside Kafka clients and monitor (main.ts), closed with the server after its workspaces.
   * Tests that build a lab alone close it themselves.
   */
  kafka?: KafkaPluginOptions;
  /** Folder of the built web app (web/dist). */
  webRoot: string;
  /** Serve the web app's source maps (LAB_SOURCE_MAPS=1); off by default. */
  sourceMaps?: boolean;
  /** Set when the lab is exposed beyond loopback: every request must then carry it. */
  accessToken?: string;
  /** Answer loopback host names only (the server is bound to loopback); by default, when there is no token. */
  loopbackOnly?: boolean;
  logLevel?: string;
  /** Where the request log goes (standard output by default); tests read it. */
  logStream?: NodeJS.WritableStream;
  frameIntervalMs?: number;
  /**
   * Classroom mode (CLASSROOM=1): `accessToken` is the instructor's, attendees join with the room code and
   * reach their own workspace only. Needs `accessToken` and `workspaces`.
   */
  classroom?: Omit<ClassroomOptions, 'workspaces'>;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'warn',
      ...(options.logStream ? { stream: options.logStream } : {}),
      // Request lines without the access token a first page load carries in its URL (or in any header).
      serializers: {
        req: (request) => ({ method: request.method, url: redactToken(request.url), remoteAddress: request.ip }),
      },
    },
    bodyLimit: LIMITS.documentBytes,
    requestTimeout: 30_000,
    // Shutdown must not wait on a browser tab that keeps its connection open.
    forceCloseConnections: true,
  });

  const { lab, classroom } = options;
  if (classroom && !options.accessToken) throw new Error("A classroom needs the instructor's access token");
  // Registered first, so Fastify closes them last: the Kafka clients after the workspaces that use them.
  if (options.kafka) await app.register(kafkaPlugin, options.kafka);
  await app.register(workspacesPlugin, {
    workspaces: options.workspaces ?? Workspaces.single(lab, options.frameIntervalMs),
  });
  const { workspaces } = app;

  registerErrorHandler(app);
  // Response schemas type the handlers and the web (model/src/api.ts), but answers are written by
  // JSON.stringify, as before them: fast-json-stringify would drop any property a schema missed and cost
  // ~0.4-0.8 s compiling the snapshot's and a lab's schemas on each route's first answer (measured). The schemas'
  // completeness is held by tests instead (routes/responses.test.ts).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // The websocket plugin first: its own hooks must see an upgrade before ours can refuse it, or a refused
  // upgrade's socket would stay open.
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  // On loopback only loopback names are answered (a classroom on loopback too: its join page must not be
  // reachable by a DNS-rebinding page); a lab exposed with a token answers any name it is reached by.
  registerJsonBodies(app);
  const loopbackOnly = options.loopbackOnly ?? !options.accessToken;
  registerAccessChecks(app, {
    hostnames: loopbackOnly ? new Set(['localhost', '127.0.0.1', '[::1]']) : undefined,
    token: options.accessToken,
    ...(classroom ? { classroom: (request) => admit(classroom.room, request) } : {}),
  });

  await app.register(healthRoutes, { kafka: () => lab.live.snapshot().kafka });
  await app.register(workspaceScope, { resolve: () => workspaces.default });
  if (workspaces.max > 0) {
    await app.register(workspaceScope, {
      prefix: '/w/:workspace',
      resolve: (request) => workspaces.get((request.params as { workspace: string }).workspace),
    });
  }
  if (classroom) await app.register(classroomRoutes, { ...classroom, workspaces });
  await app.register(webRoutes, { root: options.webRoot, sourceMaps: options.sourceMaps });
  return app;
}
