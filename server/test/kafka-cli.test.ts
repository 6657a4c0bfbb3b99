import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createKafka } from '../src/kafka/client.js';
import { waitFor } from './server-process.js';

const CLI_JS = fileURLToPath(new URL('../dist/kafka/cli.js', import.meta.url));

// `npm run kafka` is the broker "for kcat, scripts or your own code": those tools expect Kafka's default of
// creating a topic on its first produce (`kcat -P -t new-topic`), which the lab's own broker turns off.
describe('npm run kafka', () => {
  it('takes a first produce to a topic that does not exist yet, then stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI_JS], {
      env: { ...process.env, LAB_DATA_DIR: mkdtempSync(join(tmpdir(), 'lab-cli-')), KAFKA_PORT: '16092' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await waitFor(() => /Bootstrap servers: (\S+)/.test(output), 90_000, `the broker to be ready:\n${output}`);
      const bootstrap = /Bootstrap servers: (\S+)/.exec(output)![1]!;
      const producer = createKafka([bootstrap], 'cli-test').producer();
      await producer.connect();
      const [ack] = await producer.send({ topic: 'created-by-first-produce', messages: [{ value: 'hello' }] });
      await producer.disconnect();
      expect(ack).toMatchObject({ topicName: 'created-by-first-produce', errorCode: 0 });
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
