import { join } from 'node:path';
import { findFreePort } from '../net.js';
import { LocalBroker, type LocalBrokerOptions } from './broker.js';
import { newClusterId } from './cluster-id.js';
import { ensureKafkaJars } from './jars.js';

/**
 * Three local brokers forming one KRaft cluster (each a combined broker and controller), for the lessons a
 * single node cannot teach: replication factor 3, min.insync.replicas 2 and acks=all, a leader that dies and
 * another that takes over without an acknowledged event lost.
 */
export class LocalCluster {
  private constructor(readonly nodes: LocalBroker[]) {}

  get bootstrap(): string[] {
    return this.nodes.map((n) => n.bootstrap);
  }

  static async start(options: Omit<LocalBrokerOptions, 'member'>, size = 3): Promise<LocalCluster> {
    await ensureKafkaJars(options.cacheDir, options.say); // once, before three nodes would ask at the same time
    const clientPorts: number[] = [];
    const controllerPorts: number[] = [];
    let next = options.port;
    for (let i = 0; i < size; i++) {
      clientPorts.push(await findFreePort(next));
      controllerPorts.push(await findFreePort(clientPorts[i]! + 1));
      next = controllerPorts[i]! + 1;
    }
    const voters = controllerPorts.map((port, i) => `${i + 1}@127.0.0.1:${port}`).join(',');
    const clusterId = newClusterId();
    const nodes = await Promise.all(
      clientPorts.map((port, i) =>
        LocalBroker.start({
          ...options,
          port,
          dataDir: join(options.dataDir, `node-${i + 1}`),
          // The nodes wait for each other's votes before they answer, so they are started together.
          member: { nodeId: i + 1, controllerPort: controllerPorts[i]!, voters, clusterId, replication: size },
        }),
      ),
    );
    options.say(`Kafka cluster of ${size} brokers ready: ${nodes.map((n) => n.bootstrap).join(', ')}`);
    return new LocalCluster(nodes);
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
  }
}
