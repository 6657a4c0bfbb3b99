import { Agent, type IncomingMessage, request } from 'node:http';
import { type CallLink, type CircuitState, HEADERS, idRecord, own } from '@lab/model';
import { answerProblem, responseType } from '../../schemas/rest-contract.js';
import { SECRET_HEADER } from '../../security/instance-access.js';
import type { ApiVersion } from '../messages.js';
import { CircuitBreaker } from './circuit.js';
import { type LabEvent, nextHop, toHeaders } from './event.js';
import type { StatsCollector } from './stats.js';

type Outcome = 'ok' | 'failed' | 'timeout';
/** A call link as an instance has it: with the callee's API version its caller was built against, if any. */
export type Call = CallLink & { expects?: ApiVersion };
/** How one call went; `reason` says why it failed, in the user's words. */
export interface Called {
  ok: boolean;
  reason?: string;
}
/** An answer larger than this is not read (a lab answer is a small JSON object). */
const MAX_ANSWER = 64 * 1024;

/**
 * Makes an instance's REST calls: real HTTP to the callee's instances (round robin over those running),
 * a real timeout per attempt, retries, and per link an optional circuit breaker and fallback. A link built
 * against a version of the callee's API reads each answer as that version: an answer that does not fit it
 * fails the call (docs/design/rest-contracts.md).
 */
export class Caller {
  private endpoints = idRecord<string[]>();
  private readonly turn = new Map<string, number>();
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 512 });
  /** Closed with its instance: no call goes out after that (a crashed instance makes none). */
  private closed = false;

  constructor(
    private readonly stats: StatsCollector,
    private readonly onCircuit: (link: CallLink, state: CircuitState) => void,
    /** The run's secret, which the callee's listener requires. */
    private readonly secret = '',
  ) {}

  setEndpoints(endpoints: Record<string, string[]>): void {
    this.endpoints = endpoints;
  }

  /** Succeeds when the call did, or failed with the link's fallback on; else says why the last try failed. */
  async call(link: Call, input: LabEvent): Promise<Called> {
    const breaker = link.circuitBreaker ? this.breakerFor(link) : undefined;
    const event = nextHop(input, input.type, input.key);
    let reason = 'not called';
    for (let attempt = 0; attempt <= link.retries; attempt++) {
      if (breaker && !breaker.allow()) {
        reason = 'the circuit is open: not called';
        this.stats.link(link.id, 'failed', 0, event.traceId, reason);
        break; // an open circuit fails at once: that is its point
      }
      const started = performance.now();
      const answer = await this.post(link, event);
      this.stats.link(link.id, answer.outcome, performance.now() - started, event.traceId, answer.reason);
      if (answer.outcome === 'ok') {
        breaker?.success();
        return { ok: true };
      }
      reason = answer.reason ?? answer.outcome;
      breaker?.failure();
    }
    return link.fallback ? { ok: true } : { ok: false, reason };
  }

  close(): void {
    this.closed = true;
    this.agent.destroy();
  }

  /** The running instances of a service, as the main thread last published them. */
  urlsOf(serviceId: string): string[] {
    return this.endpoints[serviceId] ?? [];
  }

  /** A GET answered with JSON, or undefined when it fails or takes longer than `timeoutMs`. */
  getJson(url: string, timeoutMs = 2_000): Promise<unknown> {
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const req = request(
        url,
        { method: 'GET', agent: this.agent, timeout: timeoutMs, headers: { [SECRET_HEADER]: this.secret } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => {
            try {
              resolve(res.statusCode === 200 ? JSON.parse(body) : undefined);
            } catch {
              resolve(undefined);
            }
          });
          res.on('error', () => resolve(undefined));
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(undefined));
      req.end();
    });
  }

  private breakerFor(link: CallLink): CircuitBreaker {
    let breaker = this.breakers.get(link.id);
    if (!breaker) {
      breaker = new CircuitBreaker((state) => {
        this.stats.circuit(link.id, state);
        this.onCircuit(link, state);
      });
      this.breakers.set(link.id, breaker);
    }
    return breaker;
  }

  private pick(serviceId: string): string | undefined {
    const urls = own(this.endpoints, serviceId) ?? [];
    if (urls.length === 0) return undefined;
    const next = (this.turn.get(serviceId) ?? 0) % urls.length;
    this.turn.set(serviceId, next + 1);
    return urls[next];
  }

  private post(link: Call, event: LabEvent): Promise<{ outcome: Outcome; reason?: string }> {
    const url = this.pick(link.to);
    // No running instance: what a caller sees as "connection refused", at once.
    if (!url) return Promise.resolve({ outcome: 'failed', reason: `no instance of "${link.to}" is running` });
    if (this.closed) return Promise.resolve({ outcome: 'failed', reason: 'the calling instance is stopping' });
    const body = JSON.stringify({ id: event.id, type: event.type, payload: event.payload });
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: Outcome, reason?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ outcome, reason });
      };
      const req = request(
        `${url}/handle`,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            [SECRET_HEADER]: this.secret,
            ...toHeaders(event),
            ...(link.expects ? { [HEADERS.apiVersion]: String(link.expects.version) } : {}),
          },
        },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            res.on('end', () => settle('failed', `"${link.to}" answered ${res.statusCode}`));
          } else if (!link.expects) {
            res.resume();
            res.on('end', () => settle('ok'));
          } else {
            const expects = link.expects;
            const served = Number(res.headers[HEADERS.apiVersion]);
            if (Number.isInteger(served)) this.stats.served(link.id, served);
            readAnswer(res, (text) => {
              const problem =
                text === undefined ? 'the answer is too large' : contractProblem(link.to, expects, res, text);
              settle(problem ? 'failed' : 'ok', problem);
            });
          }
          res.on('error', () => settle('failed', `the answer of "${link.to}" broke off`));
        },
      );
      const timer = setTimeout(() => {
        settle('timeout', `no answer within ${link.timeoutMs} ms`);
        req.destroy();
      }, link.timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) =>
        settle('failed', `the call to "${link.to}" failed (${err.code ?? err.message})`),
      );
      req.end(body);
    });
  }
}

/** The answer's body, or undefined past MAX_ANSWER. */
function readAnswer(res: IncomingMessage, done: (text: string | undefined) => void) {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    text += chunk;
    if (text.length > MAX_ANSWER) {
      res.destroy();
      done(undefined);
    }
  });
  res.on('end', () => done(text));
}

/**
 * Why an answer breaks the API version the caller was built against, naming both versions and the first field
 * that does not fit; undefined when it fits.
 */
function contractProblem(callee: string, expects: ApiVersion, res: IncomingMessage, text: string) {
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    return `"${callee}" answered with something that is not JSON`;
  }
  const problem = answerProblem(responseType(expects.response), answer);
  if (!problem) return undefined;
  const served = res.headers[HEADERS.apiVersion];
  const with_ = typeof served === 'string' ? `with API version ${served}` : 'without an API version';
  return `"${callee}" answered ${with_}, which breaks version ${expects.version} this caller was built against: ${problem}`;
}
