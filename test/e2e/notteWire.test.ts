import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../fixtures/faultProxy.js';
import { PageServer } from '../fixtures/pageServer.js';
import { call, chromiumProcesses, startHttpServer, startSession, startStdio, waitFor } from './harness.js';
import type { HttpServer, StdioServer } from './harness.js';

const KEY = 'notte-retry-key-8d41c07b2e';
const OBSERVE = /^\/sessions\/[^/]+\/page\/observe$/;
const EXECUTE = /^\/sessions\/[^/]+\/page\/execute$/;
const START = /^\/sessions\/start$/;
const STOP = /^\/sessions\/[^/]+\/stop$/;

/**
 * --backend notte when the API is under strain: a real proxy in front of our own REST API answers chosen
 * requests with 429/503, the way Notte's cloud does when it is busy. Reads and stops are retried with backoff;
 * a start or an action, which must not happen twice, is sent once and its failure reported in the API's words.
 */
describe('--backend notte on the wire: what it sends, what it retries', () => {
  let pages: PageServer;
  let api: HttpServer;
  let proxy: FaultProxy;
  let notte: StdioServer;

  beforeAll(async () => {
    pages = await PageServer.start();
    pages.setContent('/form', '<h1>Retry</h1><label>Name <input id="name"></label><button>Go</button>');
    api = await startHttpServer(['--rest', '--rest-api-key', KEY]);
    proxy = await FaultProxy.start(api.origin);
    notte = await startStdio(['--backend', 'notte', '--notte-api-url', proxy.origin], undefined, { NOTTE_API_KEY: KEY });
  });

  afterAll(async () => {
    await notte?.close();
    await proxy?.close();
    await api?.stop();
    await pages?.close();
    await waitFor('no Chromium of the API server left', () => chromiumProcesses(api.tag).length, (n) => n === 0, 15_000);
  });

  it('retries an observe answered 503 and then 429, and answers as if nothing happened', async () => {
    const id = await startSession(notte.client, { url: pages.url('/form') });
    const before = proxy.count('POST', OBSERVE);
    proxy.fail({ method: 'POST', path: OBSERVE, status: 503, times: 1, detail: 'upstream busy' });
    proxy.fail({ method: 'POST', path: OBSERVE, status: 429, times: 1, detail: 'rate limited' });
    const seen = await call(notte.client, 'observe', { session_id: id });
    expect(seen.isError, seen.text).toBe(false);
    expect(seen.text).toContain('Retry');
    expect(proxy.count('POST', OBSERVE) - before).toBe(3);
    await call(notte.client, 'session_stop', { session_id: id });
  });

  it('gives up after its tries with the API\'s own message', async () => {
    const id = await startSession(notte.client, { url: pages.url('/form') });
    const before = proxy.count('POST', OBSERVE);
    proxy.fail({ method: 'POST', path: OBSERVE, status: 503, times: 10, detail: 'cluster on fire' });
    const seen = await call(notte.client, 'observe', { session_id: id });
    expect(seen.isError).toBe(true);
    expect(seen.text).toMatch(/^E_BACKEND_UNAVAILABLE/);
    expect(seen.text).toContain('cluster on fire');
    expect(proxy.count('POST', OBSERVE) - before).toBe(3);
    proxy.clear();
    const healthy = await call(notte.client, 'observe', { session_id: id });
    expect(healthy.isError, healthy.text).toBe(false);
    await call(notte.client, 'session_stop', { session_id: id });
  });

  it('sends an action once: a 503 on execute is reported, not retried, and the session goes on', async () => {
    const id = await startSession(notte.client, { url: pages.url('/form') });
    expect((await call(notte.client, 'observe', { session_id: id })).isError).toBe(false);
    const before = proxy.count('POST', EXECUTE);
    proxy.fail({ method: 'POST', path: EXECUTE, status: 503, times: 1, detail: 'executor restarting' });
    const failed = await call(notte.client, 'step', { session_id: id, type: 'fill', id: 'I1', value: 'Ada' });
    expect(failed.isError).toBe(true);
    expect(failed.text).toMatch(/^E_BACKEND_UNAVAILABLE/);
    expect(failed.text).toContain('executor restarting');
    expect(proxy.count('POST', EXECUTE) - before).toBe(1);
    const again = await call(notte.client, 'step', { session_id: id, type: 'fill', id: 'I1', value: 'Ada' });
    expect(again.structured['success'], again.text).toBe(true);
    expect(proxy.count('POST', EXECUTE) - before).toBe(2);
    await call(notte.client, 'session_stop', { session_id: id });
  });

  it('sends a start once: a 529 (cluster overloaded) is E_SESSION_LIMIT, and nothing is left running', async () => {
    const before = proxy.count('POST', START);
    proxy.fail({ method: 'POST', path: START, status: 529, times: 1, detail: 'too many sessions' });
    const refused = await call(notte.client, 'session_start', {});
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/^E_SESSION_LIMIT/);
    expect(refused.text).toContain('too many sessions');
    expect(proxy.count('POST', START) - before).toBe(1);
    const listed = await call(notte.client, 'session_list', {});
    expect(listed.structured['items']).toEqual([]);
  });

  it('passes the fields only the cloud honours through to the API, in the body as the API takes them', async () => {
    const before = proxy.seen.length;
    const refused = await call(notte.client, 'session_start', { solve_captchas: true, proxies: 'us', browser_type: 'firefox' });
    const sent = proxy.seen.slice(before).find((entry) => entry.method === 'POST' && START.test(entry.path));
    expect(JSON.parse(sent?.body ?? '{}')).toMatchObject({ solve_captchas: true, proxies: 'us', browser_type: 'firefox' });
    // Our own REST API runs sessions locally and refuses them: the words are the API's, not the MCP server's.
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('Notte API:');
  });

  it('hands out the viewer_url the API gives its session', async () => {
    const started = await call(notte.client, 'session_start', { url: pages.url('/form') });
    expect(started.isError, started.text).toBe(false);
    const viewer = String(started.structured['viewer_url']);
    expect(viewer.startsWith(`${api.origin}/viewer/`)).toBe(true);
    const page = await fetch(viewer);
    expect(page.status).toBe(200);
    await call(notte.client, 'session_stop', { session_id: started.structured['session_id'] });
    expect((await fetch(viewer)).status).toBe(404);
  });

  it('retries a stop answered 502, and the API session is closed', async () => {
    const id = await startSession(notte.client, {});
    const before = proxy.count('DELETE', STOP);
    proxy.fail({ method: 'DELETE', path: STOP, status: 502, times: 1, detail: 'bad gateway' });
    const stopped = await call(notte.client, 'session_stop', { session_id: id });
    expect(stopped.isError, stopped.text).toBe(false);
    expect(proxy.count('DELETE', STOP) - before).toBe(2);
    const response = await fetch(`${api.origin}/sessions/?only_active=False&page_size=100`, { headers: { authorization: `Bearer ${KEY}` } });
    const body = (await response.json()) as Array<Record<string, unknown>> | { items: Array<Record<string, unknown>> };
    const sessions = Array.isArray(body) ? body : body.items;
    expect(sessions.filter((session) => session['status'] === 'active')).toEqual([]);
  });
});
