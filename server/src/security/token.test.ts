import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { offlineApp } from '../offline-app.js';

// A lab exposed beyond loopback is guarded by a token. It travels once, in the URL the lab prints; from then
// on it lives in an HttpOnly cookie the page's scripts cannot read, out of the address bar (so out of share
// links, screenshots, history and referrers), and it never appears in a log line or an error message.

const TOKEN = 'Tok3n-with;odd=chars and spaces';
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function exposed() {
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const lab = await offlineApp('tok.', { accessToken: TOKEN, logLevel: 'trace', logStream });
  close = lab.close;
  return { app: lab.app, log: () => lines.join('') };
}

const q = encodeURIComponent(TOKEN);

describe('the access token', () => {
  it('on first load moves from the URL into an HttpOnly cookie and leaves the address bar', async () => {
    const { app } = await exposed();
    const first = await app.inject({ url: `/labs/02?token=${q}&view=canvas`, headers: { host: '192.0.2.1:3000' } });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/labs/02?view=canvas');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/^lab_token=[^;]+; HttpOnly; SameSite=Strict; Path=\//);
    const next = await app.inject({
      url: '/labs/02?view=canvas',
      headers: { host: '192.0.2.1:3000', cookie: cookie.split(';')[0]! },
    });
    expect(next.statusCode).not.toBe(401);
    const api = await app.inject({ url: '/api/health', headers: { cookie: cookie.split(';')[0]! } });
    expect(api.statusCode).toBe(200);
  });

  it('an API call with ?token= is answered (and gets the cookie) without a redirect', async () => {
    const { app } = await exposed();
    const res = await app.inject({ url: `/api/health?token=${q}` });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).toContain('HttpOnly');
  });

  it('a wrong token is refused without being echoed, and no log line ever holds the token', async () => {
    const { app, log } = await exposed();
    const wrong = await app.inject({ url: '/?token=guess-guess-guess' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).not.toContain('guess-guess-guess');
    await app.inject({ url: `/?token=${q}` });
    await app.inject({ url: `/api/health?token=${q}&x=1` });
    await app.inject({ url: '/api/health', headers: { authorization: `Bearer ${TOKEN}` } });
    await app.inject({ url: '/api/health', headers: { cookie: `lab_token=${q}` } });
    const text = log();
    expect(text).toContain('/api/health');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(q);
    expect(text).not.toContain('guess-guess-guess');
  });
});
