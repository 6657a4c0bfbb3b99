import { Agent, request } from 'node:http';
import { type CallLink, type CircuitState, idRecord, own } from '@lab/model';
import { SECRET_HEADER } from '../../security/instance-access.js';
import { CircuitBreaker } from './circuit.js';
import { type LabEvent, nextHop, toHeaders } from './event.js';
import type { StatsCollector } from './stats.js';

type Outcome = 'ok' | 'failed' | 'timeout';

/**
 * Makes an instance's REST calls: real HTTP to the callee's instances (round robin over those running),
 * a real timeout per attempt, retries, and per link an optional circuit breaker and fallback.
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

  /** Resolves true when the call succeeded, or failed with the link's fallback on. */
  async call(link: CallLink, input: LabEvent): Promise<boolean> {
    const breaker = link.circuitBreaker ? this.breakerFor(link) : undefined;
    const event = nextHop(input, input.type, input.key);
    for (let attempt = 0; attempt <= link.retries; attempt++) {
      if (breaker && !breaker.allow()) {
        this.stats.link(link.id, 'failed', 0, event.traceId);
        break; // an open circuit fails at once: that is its point
      }
      const started = performance.now();
      const outcome = await this.post(link, event);
      this.stats.link(link.id, outcome, performance.now() - started, event.traceId);
      if (outcome === 'ok') {
        breaker?.success();
        return true;
      }
      breaker?.failure();
    }
    return link.fallback;
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

  private post(link: CallLink, event: LabEvent): Promise<Outcome> {
    const url = this.pick(link.to);
    // No running instance: what a caller sees as "connection refused", at once.
    if (!url || this.closed) return Promise.resolve('failed');
    const body = JSON.stringify({ id: event.id, type: event.type, payload: event.payload });
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
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
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => settle(res.statusCode === 200 ? 'ok' : 'failed'));
          res.on('error', () => settle('failed'));
        },
      );
      const timer = setTimeout(() => {
        settle('timeout');
        req.destroy();
      }, link.timeoutMs);
      req.on('error', () => settle('failed'));
      req.end(body);
    });
  }
}
