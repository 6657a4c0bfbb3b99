import websocket from '@fastify/websocket';
import type { KafkaState } from '@lab/model';
import Fastify, { type FastifyInstance } from 'fastify';
import { LiveHub } from './live/hub.js';
import { LiveState } from './live/state.js';
import { healthRoutes } from './routes/health.js';
import { liveRoutes } from './routes/live.js';
import { webRoutes } from './routes/web.js';
import { registerHostAndOriginChecks } from './security.js';
import { LAB_VERSION } from './version.js';

/** What the app needs from the outside: Kafka's state as it changes. main.ts wires the real monitor. */
export interface KafkaStateSource {
  readonly state: KafkaState;
  on(event: 'change', listener: (state: KafkaState) => void): unknown;
  off(event: 'change', listener: (state: KafkaState) => void): unknown;
}

export interface AppOptions {
  kafka: KafkaStateSource;
  /** Folder of the built web app (web/dist). */
  webRoot: string;
  /** Host names (besides loopback) that may reach the lab, e.g. the HOST it is bound to. */
  extraHostnames?: string[];
  logLevel?: string;
  frameIntervalMs?: number;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logLevel ?? 'warn' },
    bodyLimit: 1024 * 1024,
    requestTimeout: 30_000,
  });

  const live = new LiveState(options.kafka.state);
  const onKafka = (state: KafkaState) => live.setKafka(state);
  options.kafka.on('change', onKafka);
  const hub = new LiveHub(live, LAB_VERSION, options.frameIntervalMs);
  app.addHook('onClose', async () => {
    options.kafka.off('change', onKafka);
    hub.close();
  });

  // One shape for every error a client can cause: { error, path }.
  app.setErrorHandler(
    (error: Error & { statusCode?: number; validation?: { instancePath?: string }[] }, _request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
      if (status >= 500) app.log.error(error);
      const path = error.validation?.[0]?.instancePath?.replace(/^\//, '').replaceAll('/', '.') ?? '';
      return reply.code(status).send({ error: status >= 500 ? 'Internal error' : error.message, path });
    },
  );

  const hostnames = new Set(['localhost', '127.0.0.1', '[::1]', ...(options.extraHostnames ?? [])]);
  registerHostAndOriginChecks(app, hostnames);

  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(healthRoutes, { kafka: () => options.kafka.state });
  await app.register(liveRoutes, { hub });
  await app.register(webRoutes, { root: options.webRoot });
  return app;
}
