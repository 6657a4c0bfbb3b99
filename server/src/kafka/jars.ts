import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StartupError } from '../errors.js';

/** The pom that names the broker's jars. Same relative place from src/ (dev) and dist/ (built). */
export const POM_PATH = fileURLToPath(new URL('../../kafka-dist/pom.xml', import.meta.url));

export interface KafkaDist {
  version: string;
  /** Folder holding every jar of the broker's classpath. */
  libs: string;
}

/** The Kafka version the pom pins, for messages. */
export function pinnedKafkaVersion(pom = readFileSync(POM_PATH, 'utf8')): string {
  return /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1] ?? 'unknown';
}

/**
 * Makes sure the broker's jars are in `cacheDir`, asking Maven for them once.
 * The folder is named after the pom's hash, so a changed pom fetches anew and never mixes versions;
 * jars land in a temporary folder first and are renamed into place only when Maven succeeded.
 */
export async function ensureKafkaJars(cacheDir: string, say: (line: string) => void): Promise<KafkaDist> {
  const pom = readFileSync(POM_PATH, 'utf8');
  const version = pinnedKafkaVersion(pom);
  const hash = createHash('sha256').update(pom).digest('hex').slice(0, 12);
  const libs = join(cacheDir, `kafka-${version}-${hash}`);
  if (existsSync(libs) && readdirSync(libs).some((f) => f.startsWith('kafka_2.13'))) return { version, libs };

  mkdirSync(cacheDir, { recursive: true });
  const partial = `${libs}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  say(`Fetching Apache Kafka ${version} from Maven Central into ${libs} (once)…`);
  await runMaven(partial, say);
  rmSync(libs, { recursive: true, force: true });
  renameSync(partial, libs);
  say(`Kafka ${version}: ${readdirSync(libs).length} jars ready.`);
  return { version, libs };
}

function runMaven(outputDir: string, say: (line: string) => void): Promise<void> {
  const args = [
    '-B',
    '-f',
    POM_PATH,
    'dependency:copy-dependencies',
    '-DincludeScope=runtime',
    `-DoutputDirectory=${outputDir}`,
  ];
  return new Promise((resolve, reject) => {
    const mvn = spawn('mvn', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    let downloaded = 0;
    let lastReport = Date.now();
    const onLine = (line: string) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      if (line.includes('Downloaded from')) {
        downloaded++;
        if (Date.now() - lastReport > 2_000) {
          lastReport = Date.now();
          say(`  …${downloaded} files downloaded`);
        }
      }
    };
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      lines.forEach(onLine);
    };
    mvn.stdout.on('data', onData);
    mvn.stderr.on('data', onData);
    mvn.on('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'ENOENT'
          ? new StartupError(
              "Maven (mvn) not found and Kafka's jars are not cached yet: install Maven (e.g. `apt-get install maven`) " +
                'so the lab can fetch Kafka once, or set KAFKA_BROKERS=host:port to use a Kafka you already run.',
            )
          : err,
      );
    });
    mvn.on('close', (code) => {
      if (code === 0) return resolve();
      const why =
        tail
          .filter((l) => l.includes('ERROR'))
          .slice(0, 3)
          .join(' | ') || tail.slice(-3).join(' | ');
      reject(new StartupError(`Maven could not fetch Kafka's jars (exit ${code}): ${why}`));
    });
  });
}
