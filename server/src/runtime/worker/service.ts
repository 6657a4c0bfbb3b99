import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Service } from '@lab/model';
import { deadLetterTopicId, HEADERS } from '@lab/model';
import type { Kafka } from '../../kafka/client.js';
import {
  type ConsumedRecord,
  type GroupConsumer,
  type PartitionBatch,
  startGroupConsumer,
} from '../../kafka/consumer.js';
import { answerFor, responseType } from '../../schemas/rest-contract.js';
import { isLabCaller } from '../../security/instance-access.js';
import type { Faults, FromWorker, HopRecord, InstanceSpec } from '../messages.js';
import { BehaviorState } from './behavior.js';
import { fromRecord, type LabEvent, toHeaders, toValue } from './event.js';
import { Gate, Semaphore } from './gate.js';
import { type Handed, NOTHING_TO_WAIT, Outputs, type Staged } from './outputs.js';
import type { StatsCollector } from './stats.js';

const MAX_BODY = 64 * 1024;
/** A blocked partition retries at most this far apart, so it resumes soon after the cause is fixed. */
const MAX_BLOCKED_BACKOFF_MS = 2_000;
const POISON_REASON = 'poison pill: this event can never be processed';
/** Events a service remembers for pollers (GET /changes?since=N). */
const RECENT = 1_000;

/** The instance crashed: what it holds is dropped unfinished. */
class Crashed extends Error {}

/** What became of one consumed event in its batch: `done` settles once it is finished; `stop` ends the batch. */
type Step = { done: Promise<void> } | { stop: 'held' | 'stopping' };

/**
 * One replica of a service: consumes its topics in its service's consumer group, answers REST calls on its
 * own HTTP listener, and for each input waits its processing time, then emits on all its links.
 *
 * Events arrive a partition's batch at a time. They are worked on one after another, in order (processing
 * time is per event), but an event's outputs travel to Kafka while the next one is worked on: its offset is
 * marked finished once its outputs are acknowledged (or its transaction committed), and only after every
 * event before it.
 */
export class ServiceInstance {
  private faults: Faults = { hang: false, slowMs: 0, errorRate: undefined };
  private readonly hangGate = new Gate();
  private readonly slots: Semaphore;
  private readonly outputs: Outputs;
  private consumer: GroupConsumer | undefined;
  private server: Server | undefined;
  private stopping = false;
  private asks = 0;
  private readonly questions = new Map<number, (seen: boolean[]) => void>();
  /** Per topic and partition, the event a `block` link holds it behind, and how often it was tried. */
  private readonly held = new Map<string, { offset: string; attempts: number }>();
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
            this.outputs.forgetAborts();
            this.post({ type: 'assignment', partitions });
          },
          onRebalancing: () => this.post({ type: 'rebalancing' }),
          onError: (message) => this.post({ type: 'log', level: 'warn', kind: 'error', message }),
          // Exactly-once: offsets move only inside transactions.
          autoCommit: !this.outputs.exactlyOnce,
          mayRestart: () => !this.stopping,
        },
        (batch) => this.onBatch(batch),
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
      for (const partition of list) this.consumer?.seek(topic, partition, '0');
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
        // A polled change is not delivered again: one whose output Kafka refused counts as failed, polling goes on.
        for (const event of changes?.events ?? [])
          await (await this.handle(event, { rest: true })).acked.catch(() => {});
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
    this.hangGate.shut(new Crashed('crashed'));
    clearTimeout(this.polling);
    for (const answer of this.questions.values()) answer([]); // nobody will answer: the batch is let go
    this.questions.clear();
    this.server?.close();
    for (const socket of this.connections) socket.resetAndDestroy();
    this.outputs.caller.close();
    await Promise.allSettled([this.consumer?.disconnect(), this.outputs.disconnect()]);
  }

  /** The main thread's answer to `seen`: for each event id asked, whether the service already processed it. */
  answerSeen(ask: number, seen: boolean[]): void {
    this.questions.get(ask)?.(seen);
    this.questions.delete(ask);
  }

  /** Which of these events the service already processed: one question for a whole batch. */
  private async seen(topicId: string, eventIds: string[]): Promise<Set<string>> {
    const ask = ++this.asks;
    const answers = await new Promise<boolean[]>((resolve) => {
      this.questions.set(ask, resolve);
      this.post({ type: 'seen', ask, topicId, eventIds });
    });
    return new Set(eventIds.filter((_, i) => answers[i]));
  }

  /**
   * One partition's batch, in order. Each event is worked on in turn; its offset is marked finished once the
   * event is (outputs acknowledged, or its transaction committed), and only if every event before it was.
   * An event Kafka refused stops the batch there: the events after it are not marked, so they are fetched and
   * handled again (at-least-once), and the error goes to kafkajs, which retries with its backoff.
   */
  private async onBatch(batch: PartitionBatch) {
    const link = this.spec.consumes.find((c) => c.topic === batch.topic);
    if (!link) return;
    const events = batch.records.map((record) =>
      fromRecord(
        record.headers ?? {},
        record.value?.toString() ?? '',
        record.key?.toString() ?? null,
        this.spec.origins,
      ),
    );
    const known =
      this.node.delivery === 'idempotent'
        ? await this.seen(
            link.from,
            events.map((e) => e.id),
          )
        : undefined;
    let failure: { error: unknown } | undefined;
    /** Settles once every event handed so far is finished and marked, in order; rejects at the first that failed. */
    let marked: Promise<void> = Promise.resolve();
    for (const [i, record] of batch.records.entries()) {
      if (failure || this.stopping || !batch.current()) break;
      const event = events[i]!;
      const step = await this.onEvent(batch, record, event, known);
      if ('stop' in step) break;
      step.done.catch((error: unknown) => {
        failure ??= { error };
      });
      marked = marked.then(async () => {
        await step.done;
        // How it ended is on its way to the main thread before its offset can be committed.
        this.stats.flushOutcomes();
        batch.finished(record.offset);
      });
      try {
        await batch.heartbeat();
        await batch.commitIfDue();
      } catch (error) {
        failure ??= { error }; // the group is rebalancing: finish what is in hand, kafkajs rejoins
      }
    }
    await marked.catch(() => {});
    if (failure && !this.stopping) throw failure.error;
  }

  /**
   * One consumed event, tried `attempts` times with doubling backoff; then its link's failure policy decides:
   * dead-letter it, skip it (lost), or hold its partition (block). `done` rejects when Kafka refused one of its
   * outputs (or its transaction aborted): it is then not marked finished, and comes again.
   */
  private async onEvent(
    batch: PartitionBatch,
    record: ConsumedRecord,
    event: LabEvent,
    known: Set<string> | undefined,
  ): Promise<Step> {
    const { topic, partition } = batch;
    const linkNow = () => this.spec.consumes.find((c) => c.topic === topic);
    const first = linkNow();
    if (!first) return { done: NOTHING_TO_WAIT };
    const input = {
      topic: first.from,
      partition,
      offset: Number(record.offset),
      appendedAt: Number(record.timestamp),
    };
    const consumed = { topic, partition, offset: record.offset };
    // Passing an event by still moves the offset past it: exactly-once commits offsets only in transactions.
    const passBy = (): Step => ({
      done: this.outputs.exactlyOnce ? this.outputs.commit([], consumed) : NOTHING_TO_WAIT,
    });
    // A redriven event is for the service that failed it; the topic's other consumers had it already.
    if (event.redriveFor && event.redriveFor !== this.node.id) return passBy();
    if (known?.has(event.id)) {
      this.stats.drop(first.from);
      return passBy();
    }
    const where = `${topic}\u0000${partition}`;
    const held = this.held.get(where);
    let attempt = held?.offset === record.offset ? held.attempts : 0;
    /** Acknowledgements of everything this event sent, over all its attempts. */
    const acks: Promise<void>[] = [];
    for (;;) {
      attempt++;
      if (this.stopping) return { stop: 'stopping' };
      const link = linkNow();
      if (!link) return { done: allOf(acks) }; // the link was removed by a live edit
      const staged: Staged[] | undefined = this.outputs.exactlyOnce ? [] : undefined;
      const started = performance.now();
      const sent = await this.handle(event, input, staged);
      acks.push(sent.acked);
      sent.acked.then(
        () =>
          this.stats.link(link.id, sent.ok ? 'ok' : 'failed', performance.now() - started, event.traceId, sent.reason),
        () => this.stats.link(link.id, 'failed', performance.now() - started, event.traceId),
      );
      const reason = sent.reason ?? 'failed';
      const wait = link.backoffMs * 2 ** Math.min(attempt - 1, 16);
      if (!sent.ok && attempt < link.attempts) {
        await this.pause(wait, batch.heartbeat);
        continue;
      }
      if (!sent.ok && link.onFailure === 'block') {
        // Hold the partition: the event stays unfinished, so the partition is fetched again from it after a
        // pause (kafkajs fetches all partitions together: waiting here would stop them all). The others flow.
        if (!held) this.post({ type: 'blocked', topicId: link.from, partition, reason });
        this.held.set(where, { offset: record.offset, attempts: attempt });
        const resume = batch.pause();
        setTimeout(() => !this.stopping && resume(), Math.min(Math.max(wait, 100), MAX_BLOCKED_BACKOFF_MS));
        return { stop: 'held' };
      }
      const outcome = sent.ok ? 'processed' : link.onFailure === 'skip' ? 'lost' : 'deadLettered';
      if (outcome === 'deadLettered') acks.push(this.deadLetter(event, record, partition, link, reason, staged));
      if (held) {
        this.held.delete(where);
        this.post({ type: 'blocked', topicId: link.from, partition, reason: null });
      }
      if (known && outcome === 'processed') known.add(event.id); // a duplicate later in this batch is dropped
      if (staged) {
        // Exactly-once: recorded before the commit, so a crash right after it leaves the event accounted for.
        return {
          done: allOf(acks).then(() => {
            this.stats.process(link.from, event.id, outcome, true);
            return this.outputs.commit(staged, consumed).then(() => this.stats.confirm(link.from, event.id));
          }),
        };
      }
      return { done: allOf(acks).then(() => this.stats.process(link.from, event.id, outcome)) };
    }
  }

  private deadLetter(
    event: LabEvent,
    record: ConsumedRecord,
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
          key: record.key?.toString() ?? null,
          value: toValue(event),
          headers: {
            ...toHeaders(event),
            [HEADERS.dlqTopic]: link.from,
            [HEADERS.dlqPartition]: String(partition),
            [HEADERS.dlqOffset]: record.offset,
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
      // The caller hears back once the outputs are in Kafka: a REST call waits for its whole effect.
      this.handle(event, { rest: true })
        .then(async ({ ok, acked }) => {
          await acked;
          return ok;
        })
        .then(
          (ok) => !res.writableEnded && this.answer(res, ok, event),
          () => !res.writableEnded && res.writeHead(502).end('{"ok":false}'),
        );
    });
  }

  /**
   * A handled call's answer: a service with an API answers in the shape of its latest version and says which
   * (its callers check the answer against the version they were built against); one without answers `ok`.
   */
  private answer(res: ServerResponse, ok: boolean, event: LabEvent) {
    const api = this.spec.api;
    const headers = {
      'content-type': 'application/json',
      ...(api ? { [HEADERS.apiVersion]: String(api.version) } : {}),
    };
    if (!ok) return res.writeHead(500, headers).end('{"ok":false}');
    const body = api ? answerFor(responseType(api.response), event.payload) : { ok: true };
    res.writeHead(200, headers).end(JSON.stringify(body));
  }

  /** What this instance handled after `since` (a number it gave out before; larger after a restart: all). */
  private changes(url: string, res: ServerResponse) {
    const asked = Number(new URLSearchParams(url.slice('/changes?'.length)).get('since'));
    const since = Number.isInteger(asked) && asked >= 0 && asked <= this.seq ? asked : 0;
    const events = this.recent
      .slice(-RECENT)
      .filter((r) => r.seq > since)
      .map((r) => r.event);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ next: this.seq, events }));
  }

  /**
   * Works on one input once: waits its processing time, decides, and hands its outputs on. Resolves once the
   * work is done (so the next event of the partition can start) with whether it succeeded and why not;
   * `acked` settles once Kafka has its outputs (rejecting with DeliveryError if Kafka refused one), and the
   * input counts as handled (in-flight, latency, journey hop) only then. With `staged`, its events are held
   * for the caller's transaction.
   */
  private async handle(event: LabEvent, input: HopRecord['input'], staged?: Staged[]): Promise<Handed> {
    const receivedAt = Date.now();
    await this.slots.acquire();
    this.stats.inFlight++;
    const started = performance.now();
    const times = { receivedAt, startedAt: receivedAt, workedAt: receivedAt };
    let handed: Handed & { emitted?: boolean };
    try {
      handed = await this.work(event, staged, times);
    } catch (err) {
      // Unexpected: the input is not finished, so it is not committed and comes again.
      handed = { ok: false, acked: Promise.reject(err) };
    } finally {
      this.slots.release();
    }
    const settle = (ok: boolean) => {
      this.stats.inFlight--;
      this.stats.latency(performance.now() - started);
      // Every input's times go to the journey index, whatever the outcome (as many as it keeps per tick).
      if (this.stats.wantsHop())
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
      if (!ok) {
        this.stats.failed++;
        return;
      }
      if (handed.emitted) this.stats.emitted++;
      this.finished(event);
    };
    const { ok } = handed;
    handed.acked.then(
      () => settle(ok),
      () => settle(false),
    );
    return handed;
  }

  /** The work itself: hang, processing time, faults, the behavior's decision, and the outputs handed on. */
  private async work(
    event: LabEvent,
    staged: Staged[] | undefined,
    times: { startedAt: number; workedAt: number },
  ): Promise<Handed & { emitted?: boolean }> {
    await this.hangGate.wait();
    times.startedAt = Date.now();
    const node = this.node;
    const delay = node.processingMs + Math.random() * node.jitterMs + this.faults.slowMs;
    if (delay > 0) await sleep(delay, undefined, { signal: this.life.signal });
    times.workedAt = Date.now();
    if (event.poison) return { ok: false, reason: POISON_REASON, acked: NOTHING_TO_WAIT };
    const errorRate = this.faults.errorRate ?? node.errorRate;
    if (Math.random() < errorRate) {
      return {
        ok: false,
        reason: `${node.id} failed it (error rate ${Math.round(errorRate * 100)}%)`,
        acked: NOTHING_TO_WAIT,
      };
    }
    const decision = this.behavior.decide(node.behavior, event);
    if (node.behavior.kind === 'view') this.stats.behavior.viewSize = this.behavior.view.size;
    if (decision.emit === 'none') {
      this.stats.behavior.filtered++;
      return { ok: true, acked: NOTHING_TO_WAIT };
    }
    if (decision.emit === 'alert') this.stats.behavior.alerts++;
    const output = decision.emit === 'alert' ? { ...event, type: decision.type, payload: decision.payload } : event;
    const handed = await this.outputs.send(
      output,
      false,
      staged,
      decision.emit === 'topics' ? decision.topics : undefined,
    );
    return { ...handed, emitted: handed.ok };
  }

  private finished(event: LabEvent) {
    this.stats.handled++;
    const now = Date.now();
    this.stats.age(now - event.originTime);
    if (this.outputs.isSink) this.stats.flow(event.origin, now - event.originTime);
    this.recent.push({ seq: ++this.seq, event });
    // Trimmed in steps of RECENT, not per event: shifting a 1000-long array per event showed in profiles.
    if (this.recent.length >= 2 * RECENT) this.recent.splice(0, this.recent.length - RECENT);
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

/** One promise for several acknowledgements (most events have exactly one). */
function allOf(acks: Promise<void>[]): Promise<void> {
  if (acks.length === 0) return NOTHING_TO_WAIT;
  if (acks.length === 1) return acks[0]!;
  return Promise.all(acks).then(() => {});
}
