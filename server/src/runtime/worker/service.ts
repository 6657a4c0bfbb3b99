import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Service } from '@lab/model';
import type { Consumer, EachMessagePayload } from 'kafkajs';
import { createKafka } from '../../kafka/client.js';
import { startGroupConsumer } from '../../kafka/consumer.js';
import { isLabCaller } from '../../security/instance-access.js';
import type { Faults, FromWorker, HopRecord, InstanceSpec } from '../messages.js';
import { fromRecord, type LabEvent } from './event.js';
import { Gate, Semaphore } from './gate.js';
import { DeliveryError, Outputs } from './outputs.js';
import type { StatsCollector } from './stats.js';

const MAX_BODY = 64 * 1024;

/**
 * One replica of a service: consumes its topics in its service's consumer group, answers REST calls on its
 * own HTTP listener, and for each input waits its processing time, then emits on all its links.
 */
export class ServiceInstance {
  private faults: Faults = { hang: false, slowMs: 0, errorRate: undefined };
  private readonly hangGate = new Gate();
  private readonly slots: Semaphore;
  private readonly outputs: Outputs;
  private consumer: Consumer | undefined;
  private server: Server | undefined;
  /** 127.0.0.1:port: the only Host the listener answers. */
  private ownHost = '';

  constructor(
    private spec: InstanceSpec,
    private readonly stats: StatsCollector,
    private readonly post: (message: FromWorker) => void,
  ) {
    this.slots = new Semaphore(this.node.concurrency);
    this.outputs = Outputs.forInstance(spec, stats, post);
  }

  private get node(): Service {
    return this.spec.node as Service;
  }

  async start(): Promise<string> {
    await this.outputs.connect();
    const url = await this.listen();
    if (this.spec.consumes.length) {
      this.consumer = await startGroupConsumer(
        createKafka(this.spec.brokers, this.spec.instanceId, this.spec.security),
        {
          groupId: this.spec.groupId,
          topics: this.spec.consumes.map((c) => ({ topic: c.topic, fromBeginning: c.startFrom === 'earliest' })),
          partitionsAtOnce: Math.min(this.node.concurrency, 12),
          onAssignment: (partitions) => this.post({ type: 'assignment', partitions }),
          onRebalancing: () => this.post({ type: 'rebalancing' }),
          onError: (message) => this.post({ type: 'log', level: 'warn', kind: 'error', message }),
        },
        (payload) => this.onEvent(payload),
      );
    }
    return url;
  }

  setSpec(spec: InstanceSpec): void {
    this.spec = spec;
    this.slots.setLimit(this.node.concurrency);
    this.outputs.setSpec(spec);
  }

  setFaults(faults: Faults): void {
    this.faults = faults;
    if (faults.hang) this.hangGate.close();
    else this.hangGate.open();
  }

  setEndpoints(endpoints: Record<string, string[]>): void {
    this.outputs.caller.setEndpoints(endpoints);
  }

  /** Graceful: leave the group (partitions move at once), finish what is in hand, close the listener. */
  async stop(): Promise<void> {
    this.hangGate.open();
    this.server?.close();
    this.server?.closeAllConnections();
    await this.consumer?.disconnect();
    await this.outputs.disconnect();
    this.outputs.caller.close();
  }

  private async onEvent({ topic, partition, message }: EachMessagePayload) {
    const link = this.spec.consumes.find((c) => c.topic === topic);
    if (!link) return;
    const event = fromRecord(
      message.headers ?? {},
      message.value?.toString() ?? '',
      message.key?.toString() ?? null,
      this.spec.origins,
    );
    const started = performance.now();
    const input = {
      topic: link.from,
      partition,
      offset: Number(message.offset),
      appendedAt: Number(message.timestamp),
    };
    try {
      const ok = await this.handle(event, input);
      this.stats.link(link.id, ok ? 'ok' : 'failed', performance.now() - started, event.traceId);
      this.stats.process(link.from, event.id);
    } catch (err) {
      // Kafka refused an output: throwing makes kafkajs deliver this event again rather than commit past it.
      if (err instanceof DeliveryError) throw err;
      this.stats.link(link.id, 'failed', performance.now() - started, event.traceId);
      this.stats.process(link.from, event.id);
    }
  }

  private onRequest(req: IncomingMessage, res: ServerResponse) {
    if (!isLabCaller(req, this.spec.secret, this.ownHost)) {
      res.writeHead(403).end();
      return;
    }
    if (req.method !== 'POST' || req.url !== '/handle') {
      res.writeHead(404).end();
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) req.destroy();
    });
    req.on('end', () => {
      const event = fromRecord(req.headers, body, null, this.spec.origins);
      this.handle(event, { rest: true }).then(
        (ok) =>
          !res.writableEnded &&
          res
            .writeHead(ok ? 200 : 500, { 'content-type': 'application/json' })
            .end(ok ? '{"ok":true}' : '{"ok":false}'),
        () => !res.writableEnded && res.writeHead(502).end('{"ok":false}'),
      );
    });
  }

  /** Handles one input; resolves whether it succeeded. Rejects only with DeliveryError. */
  private async handle(event: LabEvent, input: HopRecord['input']): Promise<boolean> {
    const receivedAt = Date.now();
    await this.slots.acquire();
    this.stats.inFlight++;
    const started = performance.now();
    const times = { receivedAt, startedAt: receivedAt, workedAt: receivedAt };
    // Every input's times go to the journey index, whatever the outcome.
    const report = (ok: boolean) =>
      this.stats.hop({
        traceId: event.traceId,
        eventId: event.id,
        origin: event.origin,
        originTime: event.originTime,
        service: this.node.id,
        instance: this.spec.instanceId,
        input,
        ...times,
        finishedAt: Date.now(),
        ok,
      });
    try {
      await this.hangGate.wait();
      times.startedAt = Date.now();
      const node = this.node;
      const delay = node.processingMs + Math.random() * node.jitterMs + this.faults.slowMs;
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      times.workedAt = Date.now();
      if (Math.random() < (this.faults.errorRate ?? node.errorRate)) {
        this.stats.failed++;
        report(false);
        return false;
      }
      const sent = await this.outputs.send(event, false);
      report(sent.ok);
      if (sent.ok) {
        this.stats.handled++;
        this.stats.emitted++;
        if (this.outputs.isSink) this.stats.flow(event.origin, Date.now() - event.originTime);
      } else this.stats.failed++;
      return sent.ok;
    } catch (err) {
      this.stats.failed++;
      report(false);
      throw err;
    } finally {
      this.stats.inFlight--;
      this.stats.latency(performance.now() - started);
      this.slots.release();
    }
  }

  private listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      const server = createServer((req, res) => this.onRequest(req, res));
      server.keepAliveTimeout = 30_000;
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        this.server = server;
        const address = server.address();
        this.ownHost = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
        resolve(`http://${this.ownHost}`);
      });
    });
  }
}
