import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HEADERS } from '@lab/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, Caller } from './caller.js';
import { StatsCollector } from './stats.js';

const V1 = { type: 'record', name: 'Customer', fields: [{ name: 'address', type: 'string' }] };
const event = { id: 'e', type: 't', payload: {}, key: null, traceId: 't', originTime: 0, origin: 'shop', hops: 0 };
const link = (extra: Partial<Call> = {}): Call => ({
  id: 'c',
  kind: 'call',
  from: 'billing',
  to: 'customers',
  timeoutMs: 200,
  retries: 0,
  circuitBreaker: false,
  fallback: false,
  ...extra,
});

// A stand-in callee over real HTTP: each test sets what it answers.
describe('Caller: every failed call says why, a contract mismatch naming both versions and the field', () => {
  let server: Server;
  let url = '';
  let answer: (res: import('node:http').ServerResponse) => void = () => {};
  let seen: string | undefined;
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen = req.headers[HEADERS.apiVersion] as string | undefined;
      req.resume();
      req.on('end', () => answer(res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const call = async (l: Call) => {
    const stats = new StatsCollector();
    const caller = new Caller(stats, () => {});
    caller.setEndpoints({ customers: [url] });
    const called = await caller.call(l, event);
    caller.close();
    return { called, tick: stats.take().links.c };
  };

  it('an answer that breaks the version the caller was built against fails the call, naming it', async () => {
    answer = (res) =>
      res.writeHead(200, { [HEADERS.apiVersion]: '2' }).end(JSON.stringify({ address: { city: 'Gent' } }));
    const { called, tick } = await call(link({ expects: { version: 1, response: V1 } }));
    expect(seen).toBe('1'); // the caller says which version it reads
    expect(called).toEqual({
      ok: false,
      reason:
        '"customers" answered with API version 2, which breaks version 1 this caller was built against: "address" is {"city":"Gent"}, not a string',
    });
    expect(tick).toMatchObject({ ok: 0, failed: 1, served: 2, reason: called.reason });
  });

  it('an answer that fits (unknown fields ignored) succeeds; a link without a version does not check', async () => {
    answer = (res) => res.writeHead(200, { [HEADERS.apiVersion]: '2' }).end('{"address":"x","zip":"9000"}');
    expect((await call(link({ expects: { version: 1, response: V1 } }))).called).toEqual({ ok: true });
    answer = (res) => res.writeHead(200).end('not json');
    expect((await call(link())).called).toEqual({ ok: true });
    expect((await call(link({ expects: { version: 1, response: V1 } }))).called).toEqual({
      ok: false,
      reason: '"customers" answered with something that is not JSON',
    });
  });

  it('names an error status and a timeout; a fallback answers instead', async () => {
    answer = (res) => res.writeHead(500).end();
    expect((await call(link())).called).toEqual({ ok: false, reason: '"customers" answered 500' });
    expect((await call(link({ fallback: true }))).called).toEqual({ ok: true });
    answer = () => {}; // never answers
    expect((await call(link({ timeoutMs: 50 }))).called).toEqual({ ok: false, reason: 'no answer within 50 ms' });
  });
});
