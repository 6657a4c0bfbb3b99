import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { StartupError } from '../errors.js';

export const MIN_JAVA = 17;

export interface Java {
  command: string;
  major: number;
}

const HOW_TO_FIX =
  'install a JDK 17 or newer (e.g. `apt-get install openjdk-17-jre-headless`, `brew install openjdk@17`) ' +
  'or set KAFKA_BROKERS=host:port to use a Kafka you already run';

/** `java -version` prints e.g. `openjdk version "17.0.15"` or, before Java 9, `"1.8.0_392"`. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2]) : first;
}

/** Finds Java 17+ ($JAVA_HOME first, then PATH), or throws the one line a newcomer needs. */
export function findJava(env: NodeJS.ProcessEnv = process.env): Java {
  const command = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
  const probe = spawnSync(command, ['-version'], { encoding: 'utf8', env, timeout: 30_000 });
  if (probe.error) {
    const where = env.JAVA_HOME ? `at ${command} (JAVA_HOME)` : 'on PATH';
    throw new StartupError(`Java not found ${where}: the local Kafka broker needs Java ${MIN_JAVA}+; ${HOW_TO_FIX}.`);
  }
  const major = parseJavaMajor(`${probe.stderr}${probe.stdout}`);
  if (major === undefined) {
    throw new StartupError(
      `Could not read the version of ${command} (\`java -version\` said nothing usable); ${HOW_TO_FIX}.`,
    );
  }
  if (major < MIN_JAVA) {
    throw new StartupError(
      `Java ${major} found at ${command}, but the local Kafka broker needs Java ${MIN_JAVA}+; ${HOW_TO_FIX}.`,
    );
  }
  return { command, major };
}
