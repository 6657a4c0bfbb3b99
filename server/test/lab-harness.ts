import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Snapshot, TopologyDocument } from '@lab/model';
import type { FastifyInstance } from 'fastify';
import { expect, inject } from 'vitest';
import { buildApp } from '../src/app.js';
import { createLab, type Lab, type LabOptions } from '../src/lab.js';
import { FakeKafka } from './fake-kafka.js';
import { waitFor } from './server-process.js';

/** The shared broker's bootstrap addresses (global-setup.ts). */
export const sharedBrokers = () => inject('kafkaBrokers').split(',');

/**
 * What every lab on the shared broker is created with: its addresses, Kafka shown as "up" to the app (the
 * runtime itself talks to the real broker), and lag read twice a second so tests see it soon.
 */
export function onSharedBroker() {
  const brokers = sharedBrokers();
  return { brokers, kafka: new FakeKafka(brokers), lagIntervalMs: 500 };
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
export async function startLab(
  options: Pick<LabOptions, 'maxInstances' | 'minSecondsScale' | 'hosts'> = {},
): Promise<LabHarness> {
  const prefix = `it${randomUUID().slice(0, 8)}.`;
  const lab = createLab({
    ...onSharedBroker(),
    topicPrefix: prefix,
    dataDir: mkdtempSync(join(tmpdir(), 'lab-it-')),
    ...options,
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

/** A source producing to a topic that one service consumes: the flow the broker-fault tests break. */
export const SHOP_TO_BILLING: TopologyDocument = {
  version: 1,
  name: 'shop to billing',
  nodes: [
    { id: 'shop', kind: 'source', ratePerSec: 50 },
    { id: 'orders', kind: 'topic', partitions: 3 },
    { id: 'billing', kind: 'service', processingMs: 2 },
  ],
  links: [
    { id: 'p', kind: 'produce', from: 'shop', to: 'orders' },
    { id: 'c', kind: 'consume', from: 'orders', to: 'billing' },
  ],
};

/** Puts `doc` on a lab of the caller's (its own brokers), runs it from a clean namespace, waits for billing. */
export async function runOn(lab: Lab, doc: TopologyDocument = SHOP_TO_BILLING) {
  const app = await buildApp({ lab, webRoot: '/nonexistent' });
  const state = () => lab.live.snapshot();
  const until = (what: string, check: (s: Snapshot) => boolean, ms = 60_000) => waitFor(() => check(state()), ms, what);
  await app.inject({ method: 'POST', url: '/api/stop', payload: {} });
  await app.inject({ method: 'POST', url: '/api/reset', payload: {} });
  expect((await app.inject({ method: 'PUT', url: '/api/topology', payload: doc })).statusCode).toBe(200);
  expect((await app.inject({ method: 'POST', url: '/api/run', payload: {} })).statusCode).toBe(200);
  return { app, state, until };
}
