import type { Consumer } from 'kafkajs';

const FLUSH_MS = 500;

/**
 * Offsets committed by the service itself rather than by kafkajs: needed when a partition may be held
 * behind a failing event (the `block` policy). kafkajs resolves every event its handler returns from, so
 * its auto-commit would move past the held event; here only finished events move the committed offset.
 */
export class ManualCommits {
  private pending = new Map<string, { topic: string; partition: number; offset: string }>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly consumer: () => Consumer | undefined) {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
  }

  /** The event at `offset` is finished: the group may start after it. */
  finished(topic: string, partition: number, offset: string): void {
    this.pending.set(`${topic}\u0000${partition}`, { topic, partition, offset: String(BigInt(offset) + 1n) });
  }

  async flush(): Promise<void> {
    const consumer = this.consumer();
    if (!consumer || this.pending.size === 0) return;
    const offsets = [...this.pending.values()];
    this.pending = new Map();
    // A partition that moved in a rebalance is refused: its new owner starts from the last commit (at-least-once).
    await consumer.commitOffsets(offsets).catch(() => {});
  }

  /** A crash: nothing more is committed, not even what was finished (the events come again). */
  abandon(): void {
    clearInterval(this.timer);
    this.pending.clear();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
