import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KafkaState } from '@lab/model';
import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from './app.js';
import { createLab, type Lab, type LabOptions } from './lab.js';

/**
 * For tests about HTTP, not Kafka: the real app over a lab whose Kafka is shown up but never reached
 * (brokers 127.0.0.1:1), in a fresh data dir, without the guided labs unless `labOptions` names their folder.
 */
export async function offlineApp(
  prefix: string,
  options: Partial<AppOptions> = {},
  labOptions: Pick<LabOptions, 'labsDir'> = {},
): Promise<{ app: FastifyInstance; lab: Lab; close: () => Promise<void> }> {
  const state: KafkaState = { status: 'up', brokers: [], managed: true };
  const lab = createLab({
    brokers: ['127.0.0.1:1'],
    topicPrefix: prefix,
    dataDir: mkdtempSync(join(tmpdir(), `${prefix.replace(/\W/g, '')}-`)),
    kafka: Object.assign(new EventEmitter(), { state }),
    labsDir: '/nonexistent',
    ...labOptions,
  });
  const app = await buildApp({ lab, webRoot: '/nonexistent', ...options });
  return {
    app,
    lab,
    close: async () => {
      await app.close();
      await lab.close();
    },
  };
}
