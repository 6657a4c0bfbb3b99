import { Agent, request } from 'node:http';
import { type ClassNotice, type ClassroomState, DASHBOARD_POLL_MS, NOTICE_POLL_MS, type Snapshot } from '@lab/model';
import { sleep } from './env.js';

/**
 * The classroom side of `npm run bench:classroom -- --classroom`: an HTTP client that can speak from its own
 * loopback address, attendees who join through the real join API, walk lab 4 and ask for help, and an
 * instructor who watches the dashboard the way the dashboard page does.
 *
 * Joining honestly: the server allows 10 join attempts a minute per client address. A room of 30 laptops has
 * 30 addresses; so do these attendees: attendee i speaks from 127.0.0.(10 + i) (all of 127/8 is loopback on
 * Linux, and the server, not behind a proxy, sees the socket's own address). The limit is neither raised nor
 * bypassed: each address joins once.
 */

export interface Answer<T = unknown> {
  status: number;
  body: T;
  cookie?: string;
}

/** One party's HTTP client: its own source address, its credentials (a cookie or the token), its own keep-alive pool. */
export class Client {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4 });
  errors: string[] = [];

  constructor(
    readonly origin: string,
    readonly localAddress: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  withCookie(cookie: string): Client {
    return new Client(this.origin, this.localAddress, { ...this.headers, cookie });
  }

  get wsOptions() {
    return { localAddress: this.localAddress, headers: this.headers };
  }

  /** A non-2xx answer counts as an error unless `expected` lists its status. */
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, expected: number[] = []) {
    const text = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<Answer<T>>((resolve, reject) => {
      const req = request(
        `${this.origin}${path}`,
        {
          method,
          agent: this.agent,
          localAddress: this.localAddress,
          // Every command is JSON, even one without a body: the server refuses other types (a form post
          // from another site cannot be one).
          headers: { ...this.headers, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
        },
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (data += chunk));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if ((status < 200 || status > 299) && !expected.includes(status))
              this.errors.push(`${method} ${path}: ${status} ${data.slice(0, 200)}`);
            const cookie = res.headers['set-cookie']?.[0]?.split(';')[0];
            resolve({ status, body: (data ? JSON.parse(data) : undefined) as T, ...(cookie ? { cookie } : {}) });
          });
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  }

  close() {
    this.agent.destroy();
  }
}

/** An attendee's address: one per laptop. 127.0.0.1 stays the instructor's. */
export const attendeeAddress = (index: number) => `127.0.0.${10 + index}`;

/** Joins through `POST /api/classroom/join` from the attendee's own address; answers their client and workspace. */
export async function join(anonymous: Client, code: string, name: string): Promise<{ client: Client; id: string }> {
  const answer = await anonymous.call<{ workspace: string }>('POST', '/api/classroom/join', { code, name });
  if (answer.status !== 200 || !answer.cookie) throw new Error(`${name} could not join: ${answer.status}`);
  return { client: anonymous.withCookie(answer.cookie), id: answer.body.workspace };
}

/**
 * Dashboard update latency: the moment a change happened (at the attendee or on the server's clock; one
 * machine, one clock) against the first dashboard answer that shows it. Each change has a key the dashboard
 * answer can be read for: `<id> step <n>` (their current step), `<id> green <n>` (step n green),
 * `<id> help <since>` (help asked at `since`), `<id> nohelp <since>` (that request withdrawn).
 */
export class Dashboard {
  private readonly seen = new Map<string, number>();
  private readonly changes: { key: string; at: number }[] = [];
  private readonly help = new Map<string, number | undefined>();
  private stopped = false;
  polls = 0;
  private readonly done: Promise<void>;

  constructor(private readonly instructor: Client) {
    this.done = this.loop();
  }

  /** Polls as web/src/classroom/Dashboard.tsx does: the next request DASHBOARD_POLL_MS after an answer. */
  private async loop() {
    while (!this.stopped) {
      const answer = await this.instructor.call<ClassroomState>('GET', '/api/classroom').catch(() => undefined);
      const now = Date.now();
      if (answer?.status === 200) {
        this.polls++;
        for (const row of answer.body.attendees) {
          if (row.lab) {
            this.see(`${row.id} step ${row.lab.current}`, now);
            if (row.lab.passed) this.see(`${row.id} green ${row.lab.current}`, now);
          }
          const before = this.help.get(row.id);
          if (row.helpSince !== undefined) this.see(`${row.id} help ${row.helpSince}`, now);
          else if (before !== undefined) this.see(`${row.id} nohelp ${before}`, now);
          this.help.set(row.id, row.helpSince);
        }
      }
      await sleep(DASHBOARD_POLL_MS);
    }
  }

  private see(key: string, at: number) {
    if (!this.seen.has(key)) this.seen.set(key, at);
  }

  changed(key: string, at: number) {
    this.changes.push({ key, at });
  }

  /** Resolves once the dashboard has shown `key` (or after `timeoutMs`). */
  async shown(key: string, timeoutMs = 10_000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (!this.seen.has(key) && Date.now() < until) await sleep(50);
    return this.seen.has(key);
  }

  async stop(): Promise<{ latencies: number[]; unseen: string[]; slowest: string[] }> {
    this.stopped = true;
    await this.done;
    const shown: { key: string; ms: number }[] = [];
    const unseen: string[] = [];
    for (const { key, at } of this.changes) {
      const seen = this.seen.get(key);
      if (seen === undefined) unseen.push(key);
      else shown.push({ key, ms: Math.max(0, seen - at) });
    }
    // The tail by name (which attendee, which kind of change), so a slow p99 can be traced to its cause.
    const slowest = [...shown]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5)
      .map(({ key, ms }) => `${key}: ${ms} ms`);
    return { latencies: shown.map((s) => s.ms), unseen, slowest };
  }
}

/**
 * An attendee's messages as their page gets them: pushed on their live feed (`hear`, from the bench's live
 * reader) and asked for every NOTICE_POLL_MS as web/src/classroom/attendee.ts does. Broadcast-to-attendee
 * latency: the first arrival of each notice minus the notice's own time (the server's clock; one machine).
 */
export class NoticeReader {
  private stopped = false;
  private after = 0;
  private readonly arrived = new Map<number, number>();
  private readonly done: Promise<void>;

  constructor(private readonly client: Client) {
    this.done = this.loop();
  }

  hear(notice: ClassNotice) {
    if (!this.arrived.has(notice.seq)) this.arrived.set(notice.seq, Date.now() - notice.at);
  }

  get latencies(): number[] {
    return [...this.arrived.values()];
  }

  private async loop() {
    while (!this.stopped) {
      const answer = await this.client
        .call<{ notices: ClassNotice[] }>('GET', `/api/classroom/me?after=${this.after}`)
        .catch(() => undefined);
      for (const notice of answer?.body.notices ?? []) {
        this.hear(notice);
        this.after = Math.max(this.after, notice.seq);
      }
      await sleep(NOTICE_POLL_MS);
    }
  }

  async stop() {
    this.stopped = true;
    await this.done;
  }
}

/** What an attendee's live reader holds: the snapshot as their browser has it. */
export interface LiveView {
  snapshot: Snapshot | undefined;
}

const waitUntil = async <T>(read: () => T | undefined, timeoutMs: number): Promise<T | undefined> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined || Date.now() > until) return value;
    await sleep(50);
  }
};

/**
 * An attendee walks lab 4 as its solution does (run is the instructor's "Run all"): each step turning green
 * (the server's `passedAt`, read from their own live feed) and each Continue are changes the dashboard must
 * show. A step that does not turn green within two minutes is an error.
 */
export async function walkLab4(attendee: Client, id: string, live: LiveView, dashboard: Dashboard): Promise<void> {
  const labs = `/w/${id}/api/labs`;
  const command = (command: unknown) => attendee.call('POST', `${labs}/command`, { command });
  const before: Record<number, () => Promise<unknown>> = {
    1: async () => {
      await attendee.call('POST', `${labs}/predict`, { nodes: ['rest-checkout', 'rest-shop'] });
      await command({ action: { node: 'rest-payments', action: 'crash' } });
      await command({ action: { node: 'ev-payments', action: 'crash' } });
    },
    2: async () => {
      await command({ action: { node: 'rest-payments', action: 'revive' } });
      await command({ action: { node: 'ev-payments', action: 'revive' } });
    },
  };
  for (let index = 0; index < 3; index++) {
    await before[index]?.();
    const passedAt = await waitUntil(() => {
      const lab = live.snapshot?.lab;
      return lab?.current === index ? lab.step?.passedAt : undefined;
    }, 120_000);
    if (passedAt === undefined) {
      // What the guide would tell them: the conditions not met, as their own feed last showed them.
      const unmet = (live.snapshot?.lab?.step?.conditions ?? [])
        .filter((c) => !c.met)
        .map((c) => `${c.label}: ${c.value} (needs ${c.target})`);
      attendee.errors.push(`${id}: step ${index + 1} of lab 4 not green within 2 minutes; unmet: ${unmet.join('; ')}`);
      return;
    }
    dashboard.changed(`${id} green ${index}`, passedAt);
    // They read the explanation before pressing Continue, as a learner does (and a green step that lasted
    // less than one dashboard poll would never be on the dashboard at all).
    await sleep(2_000 + Math.random() * 3_000);
    dashboard.changed(`${id} step ${index + 1}`, Date.now());
    await attendee.call('POST', `${labs}/continue`, {});
  }
}

/** Raises "I need help" and withdraws it, again and again until `until`: each a change the dashboard must show. */
export async function askForHelp(attendee: Client, id: string, dashboard: Dashboard, until: number): Promise<void> {
  while (Date.now() < until) {
    await sleep(2_000 + Math.random() * 6_000);
    const asked = Date.now();
    const on = await attendee.call<{ helpSince?: number }>('POST', '/api/classroom/me/help', { on: true });
    const since = on.body.helpSince;
    if (since === undefined) continue;
    dashboard.changed(`${id} help ${since}`, asked);
    await dashboard.shown(`${id} help ${since}`);
    await sleep(2_000 + Math.random() * 6_000);
    dashboard.changed(`${id} nohelp ${since}`, Date.now());
    await attendee.call('POST', '/api/classroom/me/help', { on: false });
    await dashboard.shown(`${id} nohelp ${since}`);
  }
}
