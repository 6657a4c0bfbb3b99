import { randomBytes } from 'node:crypto';

/**
 * A fresh KRaft cluster id, as `kafka-storage random-uuid` makes it: 16 random bytes in URL-safe base64
 * without padding. Kafka avoids ids starting with '-' (they read as command-line flags), and so do we.
 * Made here rather than by the JVM to save a second of start-up.
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
