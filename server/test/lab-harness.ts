import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KafkaState, Snapshot, TopologyDocument } from '@lab/model';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../src/app.js';
import { createLab, type Lab } from '../src/lab.js';
import { waitFor } from './server-process.js';

/** Kafka as "up" for the app under test; the runtime itself talks to the real shared broker. */
class KafkaUp extends EventEmitter {
  readonly state: KafkaState;
  constructor(brokers: string[]) {
    super();
    this.state = { status: 'up', brokers, managed: true };
  }
}

export interface LabHarness {
  app: FastifyInstance;
  lab: Lab;
  prefix: string;
  put: (doc: TopologyDocument) => Promise<{ status: number; body: Record<string, unknown> }>;
  post: (url: string, body?: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;
  state: () => Snapshot;
  /** Waits until the live snapshot satisfies `check`; the message names what was awaited. */
  until: (what: string, check: (s: Snapshot) => boolean, timeoutMs?: number) => Promise<Snapshot>;
  close: () => Promise<void>;
}

/** The real app and runtime against the shared broker, in a namespace of its own. */
export async function startLab(): Promise<LabHarness> {
  const brokers = inject('kafkaBrokers').split(',');
  const prefix = `it${randomUUID().slice(0, 8)}.`;
  const lab = createLab({
    brokers,
    topicPrefix: prefix,
    dataDir: mkdtempSync(join(tmpdir(), 'lab-it-')),
    kafka: new KafkaUp(brokers),
    lagIntervalMs: 500,
  });
  const app = await buildApp({ lab, webRoot: '/nonexistent' });
  const call = async (method: 'PUT' | 'POST', url: string, payload?: unknown) => {
    const res = await app.inject({ method, url, payload: payload as object | undefined });
    return { status: res.statusCode, body: res.json() as Record<string, unknown> };
  };
  const state = () => lab.live.snapshot();
  return {
    app,
    lab,
    prefix,
    put: (doc) => call('PUT', '/api/topology', doc),
    post: (url, body) => call('POST', url, body ?? {}),
    state,
    until: async (what, check, timeoutMs = 30_000) => {
      await waitFor(() => check(state()), timeoutMs, what);
      return state();
    },
    close: async () => {
      await app.close();
      await lab.runtime.reset().catch(() => {});
      await lab.close();
    },
  };
}
