import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import { call, startSession, startStdio } from './harness.js';
import type { StdioServer } from './harness.js';

let pages: PageServer;
let server: StdioServer;
/** The Cookie header of every request the fixture served, by path: what the browser really sent. */
const sent = new Map<string, string>();

/** A value that must reach the fixture, the client and nothing else (never the server's log). */
const SECRET = 'cookie-secret-4d1e';

function echoCookies(path: string): string {
  return pages.setRoute(path, (req: IncomingMessage, res: ServerResponse) => {
    sent.set(path, req.headers.cookie ?? '');
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>${path}</title><p>cookies seen</p>`);
  });
}

beforeAll(async () => {
  pages = await PageServer.start();
  server = await startStdio(['--caps', 'cookies']);
});

afterAll(async () => {
  await server?.close();
  await server?.exited;
  await pages.close();
});

describe('cookies: session_cookies_get / session_cookies_set and session_start cookies', () => {
  it('sends cookies set by tool in the request the page server receives', async () => {
    const url = echoCookies('/echo');
    const id = await startSession(server.client);
    const set = await call(server.client, 'session_cookies_set', {
      session_id: id,
      cookies: [
        { name: 'sid', value: SECRET, url: pages.origin, httpOnly: true, sameSite: 'lax' },
        { name: 'theme', value: 'dark', domain: '127.0.0.1', path: '/' },
        { name: 'elsewhere', value: 'x', domain: '127.0.0.1', path: '/other' },
      ],
    });
    expect(set.structured, set.text).toEqual({ success: true, message: 'Set 3 cookie(s).' });
    await call(server.client, 'step', { session_id: id, type: 'goto', url });
    const header = sent.get('/echo') ?? '';
    expect(header).toContain(`sid=${SECRET}`);
    expect(header).toContain('theme=dark');
    expect(header).not.toContain('elsewhere'); // path /other: the browser's own rules apply
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('loads session_start cookies before the first page, so its first request carries them', async () => {
    const url = echoCookies('/first');
    const id = await startSession(server.client, { cookies: [{ name: 'pre', value: 'loaded', url: pages.origin }], url });
    expect(sent.get('/first')).toBe('pre=loaded');
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('returns the cookies a page set, filtered by url and by domain, in the API shape', async () => {
    pages.setRoute('/set', (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/html', 'set-cookie': ['a=1; Path=/; HttpOnly; SameSite=Strict', 'b=2; Path=/deep'] }).end('<title>set</title>');
    });
    const id = await startSession(server.client, { url: pages.url('/set') });
    const all = await call(server.client, 'session_cookies_get', { session_id: id });
    const cookies = all.structured['cookies'] as Array<Record<string, unknown>>;
    expect(cookies.find((cookie) => cookie['name'] === 'a')).toEqual({ name: 'a', value: '1', domain: '127.0.0.1', path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Strict' });
    expect(cookies.map((cookie) => cookie['name']).sort()).toEqual(['a', 'b']);

    const forRoot = await call(server.client, 'session_cookies_get', { session_id: id, urls: [pages.url('/')] });
    expect((forRoot.structured['cookies'] as Array<{ name: string }>).map((cookie) => cookie.name)).toEqual(['a']);
    const otherHost = await call(server.client, 'session_cookies_get', { session_id: id, domain: 'example.com' });
    expect(otherHost.structured['cookies']).toEqual([]);
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('refuses a cookie without url or domain, or with a bad sameSite, naming the field and the fix', async () => {
    const id = await startSession(server.client);
    const noPlace = await call(server.client, 'session_cookies_set', { session_id: id, cookies: [{ name: 'x', value: 'y' }] });
    expect(noPlace.text).toMatch(/^E_INVALID_INPUT: .*cookies\.0\.domain.*url, or domain/);
    const badSameSite = await call(server.client, 'session_cookies_set', { session_id: id, cookies: [{ name: 'x', value: 'y', url: pages.origin, sameSite: 'sometimes' }] });
    expect(badSameSite.text).toMatch(/^E_INVALID_INPUT: .*sameSite.*"Lax", "Strict" or "None"/);
    const atStart = await call(server.client, 'session_start', { cookies: [{ name: 'x', value: 'y', url: 'not a url' }] });
    expect(atStart.text).toMatch(/^E_INVALID_INPUT: .*cookies\.0\.url.*absolute/);
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('answers another session id with not-found, and writes no cookie value to the log', async () => {
    const result = await call(server.client, 'session_cookies_get', { session_id: '00000000-0000-4000-8000-000000000000' });
    expect(result.text).toMatch(/^E_SESSION_NOT_FOUND/);
    expect(server.stderr()).not.toContain(SECRET);
    expect(server.stderr()).not.toContain('loaded');
  });
});
