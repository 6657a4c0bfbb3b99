import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Service } from '@lab/model';
import { deadLetterTopicId, HEADERS } from '@lab/model';
import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import { startGroupConsumer } from '../../kafka/consumer.js';
import { isLabCaller } from '../../security/instance-access.js';
import type { Faults, FromWorker, HopRecord, InstanceSpec } from '../messages.js';
import { BehaviorState } from './behavior.js';
import { ManualCommits } from './commits.js';
import { fromRecord, type LabEvent, toHeaders, toValue } from './event.js';
import { Gate, Semaphore } from './gate.js';
import { Outputs, type Sent, type Staged } from './outputs.js';
import type { StatsCollector } from './stats.js';

const MAX_BODY = 64 * 1024;
/** A blocked partition retries at most this far apart, so it resumes soon after the cause is fixed. */
const MAX_BLOCKED_BACKOFF_MS = 2_000;
const POISON_REASON = 'poison pill: this event can never be processed';
/** Events a service remembers for pollers (GET /changes?since=N). */
const RECENT = 1_000;

/** The instance is stopping: leave the event uncommitted, it will be delivered again. */
class Stopping extends Error {}

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
  private stopping = false;
  private asks = 0;
  private readonly questions = new Map<number, (seen: boolean) => void>();
  /** Per topic and partition, the event a `block` link holds it behind, and how often it was tried. */
  private readonly held = new Map<string, { offset: string; attempts: number }>();
  /** Exactly-once: per topic and partition, the offset to fetch again after an aborted transaction. */
  private readonly rewinds = new Map<string, bigint>();
  /** Set when the service commits offsets itself (it has a `block` link and is not exactly-once). */
  private commits: ManualCommits | undefined;
  private readonly behavior = new BehaviorState();
  /** The latest handled events, numbered, for services that poll this one instead of consuming events. */
  private recent: { seq: number; event: LabEvent }[] = [];
  private seq = 0;
  private polling: NodeJS.Timeout | undefined;
  private readonly since = new Map<string, number>();
  /** 127.0.0.1:port: the only Host the listener answers. */
  private ownHost = '';
  /** The listener's open connections: a crash resets them. */
  private readonly connections = new Set<Socket>();
  /** Aborted by a crash: whatever the instance waits on (a slow input's delay) ends then. */
  private readonly life = new AbortController();

  constructor(
    private spec: InstanceSpec,
    private readonly stats: StatsCollector,
    private readonly post: (message: FromWorker) => void,
    /** A new Kafka client of this instance's own (see HostedInstance: its sockets can be cut). */
    private readonly kafka: () => Kafka,
  ) {
    this.slots = new Semaphore(this.node.concurrency);
    this.outputs = Outputs.forInstance(spec, stats, post, kafka);
  }

  private get node(): Service {
    return this.spec.node as Service;
  }

  async start(): Promise<string> {
    await this.outputs.connect();
    const url = await this.listen();
    if (this.spec.consumes.length) {
      const holds = this.spec.consumes.some((c) => c.onFailure === 'block');
      if (holds && !this.outputs.exactlyOnce) this.commits = new ManualCommits(() => this.consumer);
      this.consumer = await startGroupConsumer(
        this.kafka(),
        {
          groupId: this.spec.groupId,
          topics: this.spec.consumes.map((c) => ({ topic: c.topic, fromBeginning: c.startFrom === 'earliest' })),
          partitionsAtOnce: Math.min(this.node.concurrency, 12),
          onAssignment: (partitions) => {
            // A materialized view is rebuilt from the beginning of the log whenever its instance gets partitions.
            if (this.node.behavior.kind === 'view') this.rewind(partitions);
            this.releaseMoved(partitions);
            this.post({ type: 'assignment', partitions });
          },
          onRebalancing: () => this.post({ type: 'rebalancing' }),
          onError: (message) => this.post({ type: 'log', level: 'warn', kind: 'error', message }),
          autoCommit: !this.outputs.exactlyOnce && !this.commits,
          mayRestart: () => !this.stopping,
        },
        (payload, consumer) => this.onEvent(payload, consumer),
      );
    }
    if (this.node.behavior.kind === 'poll') this.schedulePoll();
    return url;
  }

  /** Partitions this instance held blocked that a rebalance gave to another: their new owner reports them. */
  private releaseMoved(partitions: Record<string, number[]>) {
    for (const where of [...this.held.keys()]) {
      const [topic, partition] = where.split('\u0000') as [string, string];
      if (partitions[topic]?.includes(Number(partition))) continue;
      this.held.delete(where);
      const link = this.spec.consumes.find((c) => c.topic === topic);
      if (link) this.post({ type: 'blocked', topicId: link.from, partition: Number(partition), reason: null });
    }
  }

  private rewind(partitions: Record<string, number[]>) {
    this.behavior.view.clear();
    for (const [topic, list] of Object.entries(partitions))
      for (const partition of list) this.consumer?.seek({ topic, partition, offset: '0' });
  }

  /** A polling client: asks each instance of its target what changed since its last poll, every `everyMs`. */
  private schedulePoll() {
    const behavior = this.node.behavior;
    if (behavior.kind !== 'poll' || this.stopping) return;
    this.polling = setTimeout(async () => {
      for (const url of this.outputs.caller.urlsOf(behavior.target)) {
        const answer = await this.outputs.caller.getJson(`${url}/changes?since=${this.since.get(url) ?? 0}`);
        this.stats.behavior.polls++;
        const changes = answer as { next?: number; events?: LabEvent[] } | undefined;
        if (!changes?.events?.length) this.stats.behavior.emptyPolls++;
        if (typeof changes?.next === 'number') this.since.set(url, changes.next);
        for (const event of changes?.events ?? []) await this.handle(event, { rest: true });
      }
      this.schedulePoll();
    }, behavior.everyMs);
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
    this.stopping = true;
    clearTimeout(this.polling);
    this.hangGate.open();
    this.server?.close();
    this.server?.closeAllConnections();
    await this.commits?.close();
    await this.consumer?.disconnect();
    await this.outputs.disconnect();
    this.outputs.caller.close();
  }

  /**
   * Abrupt, as a process dying (the host has already cut this instance's Kafka sockets): the listener stops and
   * resets its connections, calls and timers end, hung and slowed inputs are dropped unfinished, nothing is
   * committed. Then its Kafka clients are closed, with no socket left to say goodbye on (no LeaveGroup).
   */
  async crash(): Promise<void> {
    this.stopping = true;
    this.life.abort();
    this.hangGate.shut(new Stopping('crashed'));
    clearTimeout(this.polling);
    this.commits?.abandon();
    for (const answer of this.questions.values()) answer(true); // nobody will answer: the input is let go
    this.questions.clear();
    this.server?.close();
    for (const socket of this.connections) socket.resetAndDestroy();
    this.outputs.caller.close();
    await Promise.allSettled([this.consumer?.disconnect(), this.outputs.disconnect()]);
  }

  /** The main thread's answer to `seen`: whether the service already processed an event. */
  answerSeen(ask: number, seen: boolean): void {
    this.questions.get(ask)?.(seen);
    this.questions.delete(ask);
  }

  private seen(topicId: string, eventId: string): Promise<boolean> {
    const ask = ++this.asks;
    return new Promise((resolve) => {
      this.questions.set(ask, resolve);
      this.post({ type: 'seen', ask, topicId, eventId });
    });
  }

  /**
   * One consumed event, tried `attempts` times with doubling backoff; then its link's failure policy decides:
   * dead-letter it, skip it (lost), or hold its partition (block). Resolving lets the offset be committed (or,
   * exactly-once, the transaction did); throwing leaves it uncommitted so it comes again.
   */
  private async onEvent({ topic, partition, message, heartbeat, pause }: EachMessagePayload, consumer: Consumer) {
    const linkNow = () => this.spec.consumes.find((c) => c.topic === topic);
    const first = linkNow();
    if (!first) return;
    const event = fromRecord(
      message.headers ?? {},
      message.value?.toString() ?? '',
      message.key?.toString() ?? null,
      this.spec.origins,
    );
    const input = {
      topic: first.from,
      partition,
      offset: Number(message.offset),
      appendedAt: Number(message.timestamp),
    };
    const consumed = { topic, partition, offset: message.offset };
    const where = `${topic}\u0000${partition}`;
    const rewinding = this.rewinds.get(where);
    if (rewinding !== undefined) {
      // A transaction of this partition aborted: events after it are dropped here and fetched again.
      if (BigInt(message.offset) > rewinding) return;
      this.rewinds.delete(where);
    }
    const finished = () => this.commits?.finished(topic, partition, message.offset);
    // Passing an event by still moves the offset past it: exactly-once commits offsets only in transactions.
    const passBy = async () => (this.outputs.exactlyOnce ? this.transact([], consumed, consumer) : finished());
    // A redriven event is for the service that failed it; the topic's other consumers had it already.
    if (event.redriveFor && event.redriveFor !== this.node.id) return passBy();
    if (this.node.delivery === 'idempotent' && (await this.seen(first.from, event.id))) {
      this.stats.drop(first.from);
      return passBy();
    }
    const held = this.held.get(where);
    let attempt = held?.offset === message.offset ? held.attempts : 0;
    for (;;) {
      attempt++;
      if (this.stopping) throw new Stopping('stopping');
      const link = linkNow();
      if (!link) return; // the link was removed by a live edit
      const staged: Staged[] | undefined = this.outputs.exactlyOnce ? [] : undefined;
      const started = performance.now();
      const sent = await this.handle(event, input, staged);
      this.stats.link(link.id, sent.ok ? 'ok' : 'failed', performance.now() - started, event.traceId);
      const reason = sent.reason ?? 'failed';
      const wait = link.backoffMs * 2 ** Math.min(attempt - 1, 16);
      if (!sent.ok && attempt < link.attempts) {
        await this.pause(wait, heartbeat);
        continue;
      }
      if (!sent.ok && link.onFailure === 'block') {
        // Hold the partition: pause it and rewind to this event, so the others keep flowing meanwhile (kafkajs
        // fetches all partitions together: waiting here would stop them all). It is tried again after a pause.
        if (!held) this.post({ type: 'blocked', topicId: link.from, partition, reason });
        this.held.set(where, { offset: message.offset, attempts: attempt });
        const resume = pause();
        try {
          consumer.seek({ topic, partition, offset: message.offset });
        } catch {
          return; // the consumer is stopping: the event stays uncommitted and comes again
        }
        setTimeout(() => !this.stopping && resume(), Math.min(Math.max(wait, 100), MAX_BLOCKED_BACKOFF_MS));
        return;
      }
      const outcome = sent.ok ? 'processed' : link.onFailure === 'skip' ? 'lost' : 'deadLettered';
      if (outcome === 'deadLettered') await this.deadLetter(event, message, partition, link, reason, staged);
      if (held) {
        this.held.delete(where);
        this.post({ type: 'blocked', topicId: link.from, partition, reason: null });
      }
      if (staged) {
        // Recorded before the commit: a crash right after it must not leave the event unaccounted for.
        this.stats.process(link.from, event.id, outcome, true);
        return this.transact(staged, consumed, consumer, () => this.stats.confirm(link.from, event.id));
      }
      this.stats.process(link.from, event.id, outcome);
      finished();
      return;
    }
  }

  /**
   * Exactly-once: hands the event's outputs and offset to the next transaction and goes on with the partition
   * (waiting for each commit would allow one event per partition per transaction). The event counts as
   * processed once its transaction commits. If one aborts, its partitions rewind to the first event it held:
   * later events of those partitions are dropped until that one is fetched again, so no offset moves past an
   * event whose outputs were not committed.
   */
  private transact(
    staged: Staged[],
    consumed: { topic: string; partition: number; offset: string },
    consumer: Consumer,
    committed?: () => void,
  ) {
    const where = `${consumed.topic}\u0000${consumed.partition}`;
    const rewinding = this.rewinds.get(where);
    if (rewinding !== undefined && BigInt(consumed.offset) > rewinding) return; // an abort overtook it
    this.outputs.commit(staged, consumed).then(committed, () => {
      const offset = BigInt(consumed.offset);
      const earliest = this.rewinds.get(where);
      if (earliest !== undefined && earliest <= offset) return;
      this.rewinds.set(where, offset);
      try {
        consumer.seek({ topic: consumed.topic, partition: consumed.partition, offset: consumed.offset });
      } catch {
        // stopping: nothing was committed past it, the next owner starts there
      }
    });
  }

  private deadLetter(
    event: LabEvent,
    message: EachMessagePayload['message'],
    partition: number,
    link: InstanceSpec['consumes'][number],
    reason: string,
    staged: Staged[] | undefined,
  ): Promise<void> {
    return this.outputs.deadLetter(
      {
        topicId: deadLetterTopicId(link.from),
        topic: `${link.topic}.dlq`,
        eventId: event.id,
        event: {
          key: message.key?.toString() ?? null,
          value: toValue(event),
          headers: {
            ...toHeaders(event),
            [HEADERS.dlqTopic]: link.from,
            [HEADERS.dlqPartition]: String(partition),
            [HEADERS.dlqOffset]: message.offset,
            [HEADERS.dlqReason]: reason,
            [HEADERS.dlqService]: this.node.id,
          },
        },
      },
      staged,
    );
  }

  /** Waits between retries, telling the group this instance is alive (a blocked partition may wait long). */
  private async pause(ms: number, heartbeat: () => Promise<void>) {
    const until = Date.now() + ms;
    while (Date.now() < until && !this.stopping) {
      await new Promise((r) => setTimeout(r, Math.min(500, until - Date.now())));
      await heartbeat().catch(() => {});
    }
  }

  private onRequest(req: IncomingMessage, res: ServerResponse) {
    if (!isLabCaller(req, this.spec.secret, this.ownHost)) {
      res.writeHead(403).end();
      return;
    }
    if (req.method === 'GET' && req.url?.startsWith('/changes?')) return this.changes(req.url, res);
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
        ({ ok }) =>
          !res.writableEnded &&
          res
            .writeHead(ok ? 200 : 500, { 'content-type': 'application/json' })
            .end(ok ? '{"ok":true}' : '{"ok":false}'),
        () => !res.writableEnded && res.writeHead(502).end('{"ok":false}'),
      );
    });
  }

  /** What this instance handled after `since` (a number it gave out before; larger after a restart: all). */
  private changes(url: string, res: ServerResponse) {
    const asked = Number(new URLSearchParams(url.slice('/changes?'.length)).get('since'));
    const since = Number.isInteger(asked) && asked >= 0 && asked <= this.seq ? asked : 0;
    const events = this.recent.filter((r) => r.seq > since).map((r) => r.event);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ next: this.seq, events }));
  }

  /**
   * Handles one input once; resolves whether it succeeded, and why not. Rejects only with DeliveryError.
   * With `staged`, its events are held for the caller's transaction.
   */
  private async handle(event: LabEvent, input: HopRecord['input'], staged?: Staged[]): Promise<Sent> {
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
      if (delay > 0) await sleep(delay, undefined, { signal: this.life.signal });
      times.workedAt = Date.now();
      if (event.poison) {
        this.stats.failed++;
        report(false);
        return { ok: false, reason: POISON_REASON };
      }
      const errorRate = this.faults.errorRate ?? node.errorRate;
      if (Math.random() < errorRate) {
        this.stats.failed++;
        report(false);
        return { ok: false, reason: `${node.id} failed it (error rate ${Math.round(errorRate * 100)}%)` };
      }
      const decision = this.behavior.decide(node.behavior, event);
      if (node.behavior.kind === 'view') this.stats.behavior.viewSize = this.behavior.view.size;
      if (decision.emit === 'none') {
        this.stats.behavior.filtered++;
        report(true);
        this.finished(event);
        return { ok: true };
      }
      if (decision.emit === 'alert') this.stats.behavior.alerts++;
      const output = decision.emit === 'alert' ? { ...event, type: decision.type, payload: decision.payload } : event;
      const sent = await this.outputs.send(
        output,
        false,
        staged,
        decision.emit === 'topics' ? decision.topics : undefined,
      );
      report(sent.ok);
      if (sent.ok) {
        this.stats.emitted++;
        this.finished(event);
      } else this.stats.failed++;
      return sent;
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

  private finished(event: LabEvent) {
    this.stats.handled++;
    const now = Date.now();
    this.stats.age(now - event.originTime);
    if (this.outputs.isSink) this.stats.flow(event.origin, now - event.originTime);
    this.recent.push({ seq: ++this.seq, event });
    if (this.recent.length > RECENT) this.recent.splice(0, this.recent.length - RECENT);
  }

  private listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      const server = createServer((req, res) => this.onRequest(req, res));
      server.keepAliveTimeout = 30_000;
      // A client that sends its request slowly (slowloris) is cut off; lab callers send theirs at once.
      server.headersTimeout = 10_000;
      server.requestTimeout = 10_000;
      server.on('connection', (socket: Socket) => {
        this.connections.add(socket);
        socket.once('close', () => this.connections.delete(socket));
      });
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
