import { EventEmitter } from 'node:events';
import type { LogEntry } from '@lab/model';

/** The event log: faults, revivals, rebalances, circuits, errors, Kafka connectivity. Bounded. */
export class EventLog extends EventEmitter {
  private entries: LogEntry[] = [];
  private seq = 0;

  constructor(private readonly cap = 500) {
    super();
  }

  add(entry: Omit<LogEntry, 'seq' | 'at'>): LogEntry {
    const full: LogEntry = { ...entry, seq: ++this.seq, at: Date.now() };
    this.entries.push(full);
    if (this.entries.length > this.cap) this.entries.shift();
    this.emit('entry', full);
    return full;
  }

  recent(limit = 200): LogEntry[] {
    return this.entries.slice(-limit);
  }

  clear(): void {
    this.entries = [];
  }
}
