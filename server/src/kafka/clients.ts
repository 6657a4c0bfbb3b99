import { LabAdmin } from './admin.js';
import { createKafka, type Kafka } from './client.js';
import { TopicObserver } from './observer.js';
import type { KafkaSecurity } from './security.js';

/** One workspace's outside clients: its admin connection and its message browser's consumer. */
export interface WorkspaceKafka {
  readonly admin: LabAdmin;
  readonly observer: TopicObserver;
  /** Stops the observer (it leaves its group) and disconnects the admin; a second call does nothing. */
  close(): Promise<void>;
}

/**
 * The outside Kafka clients of one server. Each workspace still gets clients of its own (an admin call that
 * fails drops that workspace's connection only, and each observer is in its workspace's namespace), but they
 * are made here, so whatever is still open when the server closes is closed here too: after the workspaces
 * have stopped their runtimes (see plugins/kafka.ts), never before.
 */
export class KafkaClients {
  private readonly kafka: Kafka;
  private readonly open = new Set<WorkspaceKafka>();

  constructor(brokers: string[], security?: KafkaSecurity) {
    this.kafka = createKafka(brokers, 'lab-runtime', security);
  }

  /** Clients for the workspace whose topics and groups start with `topicPrefix`. */
  forWorkspace(topicPrefix: string): WorkspaceKafka {
    const admin = new LabAdmin(this.kafka);
    // ':' cannot appear in a node id, so this group never collides with a service's.
    const observer = new TopicObserver(this.kafka, `${topicPrefix}:observer`);
    const clients: WorkspaceKafka = {
      admin,
      observer,
      close: async () => {
        if (!this.open.delete(clients)) return;
        await observer.stop();
        await admin.close();
      },
    };
    this.open.add(clients);
    return clients;
  }

  /** Workspaces whose clients are still open. */
  get size(): number {
    return this.open.size;
  }

  /** Closes every workspace's clients still open. */
  async close(): Promise<void> {
    await Promise.all([...this.open].map((clients) => clients.close()));
  }
}
