import websocket from '@fastify/websocket';
import type { KafkaState } from '@lab/model';
import Fastify, { type FastifyInstance } from 'fastify';
import { LiveHub } from './live/hub.js';
import { LiveState } from './live/state.js';
import { healthRoutes } from './routes/health.js';
import { liveRoutes } from './routes/live.js';
import { webRoutes } from './routes/web.js';
import { registerAccessChecks } from './security.js';
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
  /** Set when the lab is exposed beyond loopback: every request must then carry it. */
  accessToken?: string;
  logLevel?: string;
  frameIntervalMs?: number;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logLevel ?? 'warn' },
    bodyLimit: 1024 * 1024,
    requestTimeout: 30_000,
    // Shutdown must not wait on a browser tab that keeps its connection open.
    forceCloseConnections: true,
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

  // The websocket plugin first: its own hooks must see an upgrade before ours can refuse it, or a refused
  // upgrade's socket would stay open.
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  // On loopback only loopback names are answered; a lab exposed with a token answers any name it is reached by.
  registerAccessChecks(app, {
    hostnames: options.accessToken ? undefined : new Set(['localhost', '127.0.0.1', '[::1]']),
    token: options.accessToken,
  });

  await app.register(healthRoutes, { kafka: () => options.kafka.state });
  await app.register(liveRoutes, { hub });
  await app.register(webRoutes, { root: options.webRoot });
  return app;
}
