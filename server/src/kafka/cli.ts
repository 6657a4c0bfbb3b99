import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { StartupError } from '../errors.js';
import { LocalBroker } from './broker.js';

/**
 * `npm run kafka`: just the local broker, in the foreground, for kcat, scripts or your own code.
 * It keeps its data apart from the lab's own broker, so both can run at once.
 */
async function main() {
  const config = loadConfig(process.env);
  const broker = await LocalBroker.start({
    dataDir: join(config.LAB_DATA_DIR, 'kafka-standalone'),
    cacheDir: config.KAFKA_CACHE_DIR,
    port: config.KAFKA_PORT,
    heap: config.KAFKA_HEAP,
    autoCreateTopics: true,
    say: (line) => console.log(line),
  });
  console.log(`Bootstrap servers: ${broker.bootstrap}   (Ctrl-C stops the broker)`);
  broker.on('exit', (code, signal) => {
    console.error(`Kafka broker exited (${signal ?? `code ${code}`}); see ${broker.logPath}`);
    process.exit(1);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void broker.stop().then(() => process.exit(0)));
  }
}

main().catch((err) => {
  console.error(err instanceof StartupError ? `Error: ${err.message}` : err);
  process.exit(1);
});
