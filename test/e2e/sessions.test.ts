import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import { call, chromiumProcesses, startSession, startStdio, waitFor } from './harness.js';
import type { StdioServer } from './harness.js';

let pages: PageServer;
let server: StdioServer;

beforeAll(async () => {
  pages = await PageServer.start();
  server = await startStdio(['--max-sessions-per-client', '3']);
});

afterAll(async () => {
  await server.close();
  await server.exited;
  await pages.close();
});

describe('session tools over stdio', () => {
  it('lists the session tools with titles, annotations and output schemas', async () => {
    const { tools } = await server.client.listTools();
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    for (const name of ['session_start', 'session_status', 'session_list', 'session_stop']) {
      const tool = byName.get(name);
      expect(tool?.title, name).toBeTruthy();
      expect(tool?.outputSchema?.type, name).toBe('object');
      expect(tool?.annotations, name).toBeDefined();
    }
    expect(byName.get('session_stop')?.annotations?.idempotentHint).toBe(true);
    const startProps = byName.get('session_start')?.inputSchema.properties ?? {};
    for (const field of ['headless', 'max_duration_minutes', 'idle_timeout_minutes', 'proxies', 'browser_type', 'user_agent', 'chrome_args', 'viewport_width', 'viewport_height', 'aspect_ratio', 'use_file_storage', 'screenshot_type', 'profile', 'cookies', 'extra_http_headers', 'vault_id', 'url']) {
      expect(startProps, field).toHaveProperty(field);
    }
    // Accepted for Notte compatibility (and refused with E_NOT_SUPPORTED below), but not worth a model's tokens.
    for (const field of ['solve_captchas', 'web_bot_auth', 'auth_ids', 'wait_for_authentication', 'timeout_minutes']) {
      expect(startProps, field).not.toHaveProperty(field);
    }
  });

  it('starts a session with the API defaults and returns a full SessionResponse', async () => {
    const result = await call(server.client, 'session_start');
    expect(result.isError).toBe(false);
    const session = result.structured;
    expect(session['session_id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(session).toMatchObject({
      status: 'active', idle_timeout_minutes: 3, timeout_minutes: 3, max_duration_minutes: 15, closed_at: null, error: null,
      browser_type: 'chromium', headless: true, proxies: false, use_file_storage: true, solve_captchas: false, web_bot_auth: false,
      viewport_width: 1280, viewport_height: 1080, cdp_url: null, viewer_url: null, steps: [],
    });
    expect(Date.parse(String(session['created_at']))).not.toBeNaN();
    expect(session['duration']).toMatch(/^PT[\d.]+S$/);
    expect(result.text).toContain('active');
    await call(server.client, 'session_stop', { session_id: session['session_id'] });
  });

  it('honours viewport, user_agent and extra_http_headers, and counts network bytes', async () => {
    const seen: { headers?: IncomingHttpHeaders; report?: string } = {};
    pages.setRoute('/whoami', (req, res) => {
      seen.headers = req.headers;
      res.writeHead(200, { 'content-type': 'text/html' }).end(
        '<!doctype html><title>who</title><script>fetch("/report?w=" + innerWidth + "&h=" + innerHeight + "&ua=" + encodeURIComponent(navigator.userAgent))</script><p>hello</p>',
      );
    });
    pages.setRoute('/report', (req, res) => {
      seen.report = req.url ?? '';
      res.writeHead(204).end();
    });
    const id = await startSession(server.client, {
      viewport_width: 900, viewport_height: 700, user_agent: 'BsmTestAgent/1.0', extra_http_headers: { 'x-bsm-test': 'yes' }, url: pages.url('/whoami'),
    });
    await waitFor('the page to report its viewport', () => seen.report, (report) => report !== undefined);
    const report = new URL(`http://x${seen.report ?? ''}`).searchParams;
    expect(report.get('w')).toBe('900');
    expect(report.get('h')).toBe('700');
    expect(report.get('ua')).toBe('BsmTestAgent/1.0');
    expect(seen.headers?.['user-agent']).toBe('BsmTestAgent/1.0');
    expect(seen.headers?.['x-bsm-test']).toBe('yes');
    const status = await waitFor('byte counters', () => call(server.client, 'session_status', { session_id: id }), (r) => Number(r.structured['network_response_bytes']) > 100);
    expect(status.structured).toMatchObject({ viewport_width: 900, viewport_height: 700, user_agent: 'BsmTestAgent/1.0' });
    expect(Number(status.structured['network_request_bytes'])).toBeGreaterThan(0);
    const steps = status.structured['steps'];
    expect(Array.isArray(steps) && steps.length).toBe(1); // the start url's goto is a recorded step
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('routes the session through an external proxy', async () => {
    const proxied: string[] = [];
    const proxy = createServer((req, res) => {
      proxied.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/html' }).end('<title>via proxy</title><p>proxied page</p>');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as AddressInfo).port; // TCP listen yields AddressInfo
    try {
      const result = await call(server.client, 'session_start', { proxies: [{ type: 'external', server: `http://127.0.0.1:${port}` }], url: 'http://proxied.test/page' });
      expect(result.isError, result.text).toBe(false);
      expect(result.structured['proxies']).toBe(true);
      expect(proxied).toContain('http://proxied.test/page');
      await call(server.client, 'session_stop', { session_id: result.structured['session_id'] });
    } finally {
      proxy.closeAllConnections();
      proxy.close();
    }
  });

  it('gives chrome_args sessions a browser of their own, closed with the session', async () => {
    // An allowed switch with a value no other browser of this server has marks the session's own browser.
    const own = (): number[] => chromiumProcesses(server.tag).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('--window-size=801,601'));
    const id = await startSession(server.client, { chrome_args: ['--window-size=801,601'] });
    expect(own().length).toBeGreaterThan(0);
    await call(server.client, 'session_stop', { session_id: id });
    await waitFor('the own browser to exit', () => own().length, (n) => n === 0);
  });

  it('accepts browser_type chrome (and its legacy aliases) on the local Chromium, and echoes it', async () => {
    for (const browserType of ['chrome', 'chrome-turbo']) {
      const result = await call(server.client, 'session_start', { browser_type: browserType, url: pages.setContent('/chrome', '<p>ok</p>') });
      expect(result.isError, result.text).toBe(false);
      expect(result.structured['browser_type']).toBe(browserType);
      expect(result.text).toContain('title "/chrome"'); // the fixture server titles fragments with their path
      await call(server.client, 'session_stop', { session_id: result.structured['session_id'] });
    }
  });

  it('stops idempotently: the second stop returns the same closed session', async () => {
    const id = await startSession(server.client);
    const first = await call(server.client, 'session_stop', { session_id: id });
    const second = await call(server.client, 'session_stop', { session_id: id });
    expect(first.structured).toMatchObject({ status: 'closed', close_reason: 'manual' });
    expect(second.isError).toBe(false);
    expect(second.structured['closed_at']).toBe(first.structured['closed_at']);
    const status = await call(server.client, 'session_status', { session_id: id });
    expect(status.structured['status']).toBe('closed');
  });

  it('lists sessions paginated, newest first, with only_active', async () => {
    const ids = [await startSession(server.client), await startSession(server.client)];
    const page1 = await call(server.client, 'session_list', { page_size: 1 });
    expect(page1.structured).toMatchObject({ page: 1, page_size: 1, has_next: true, has_previous: false });
    const items = page1.structured['items'] as { session_id: string }[]; // shape checked by the tool's output schema
    expect(items.map((item) => item.session_id)).toEqual([ids[1]]);
    await call(server.client, 'session_stop', { session_id: ids[1] });
    const active = await call(server.client, 'session_list', {});
    expect((active.structured['items'] as { session_id: string }[]).map((item) => item.session_id)).toEqual([ids[0]]);
    const all = await call(server.client, 'session_list', { only_active: false, page_size: 100 });
    expect((all.structured['items'] as unknown[]).length).toBeGreaterThanOrEqual(2);
    await call(server.client, 'session_stop', { session_id: ids[0] });
  });

  it('enforces the per-client session limit with a hint', async () => {
    const ids = [await startSession(server.client), await startSession(server.client), await startSession(server.client)];
    const fourth = await call(server.client, 'session_start');
    expect(fourth.isError).toBe(true);
    expect(fourth.text).toContain('E_SESSION_LIMIT');
    expect(fourth.text).toContain('session_stop');
    await Promise.all(ids.map((id) => call(server.client, 'session_stop', { session_id: id })));
    const again = await call(server.client, 'session_start');
    expect(again.isError).toBe(false);
    await call(server.client, 'session_stop', { session_id: again.structured['session_id'] });
  });
});

describe('input validation', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['idle above its range', { idle_timeout_minutes: 16 }, /idle_timeout_minutes is at most 15.*idle_timeout_minutes/s],
    ['idle above max', { idle_timeout_minutes: 10, max_duration_minutes: 5 }, /must be at most max_duration_minutes/],
    ['max duration above a day', { max_duration_minutes: 2000 }, /at most 1440/],
    ['viewport width alone', { viewport_width: 800 }, /viewport_width and viewport_height must be set together/],
    ['aspect ratio with viewport', { viewport_width: 800, viewport_height: 600, aspect_ratio: '16:9' }, /aspect_ratio cannot be combined/],
    ['unknown field', { colour: 'red' }, /colour/],
    ['wrong type', { headless: 'yes' }, /headless/],
    ['bad enum', { screenshot_type: 'png' }, /screenshot_type/],
    ['bad url', { url: 'not a url' }, /url must be an absolute URL/],
    ['too many auth ids', { auth_ids: Array.from({ length: 11 }, (_, i) => `a${i}`) }, /at most 10 auth_ids/],
  ];
  for (const [name, args, message] of cases) {
    it(`session_start refuses ${name}, naming the field`, async () => {
      const result = await call(server.client, 'session_start', args);
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(message);
    });
  }

  it('answers a session_id that is not one of ours (no pattern on the wire) as not found, saying where ids come from', async () => {
    const result = await call(server.client, 'session_status', { session_id: 'abc' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^E_SESSION_NOT_FOUND: No session "abc" .*session_list.*session_start/);
  });

  it('answers an unknown id with not-found and what to do', async () => {
    const result = await call(server.client, 'session_stop', { session_id: '00000000-0000-4000-8000-000000000000' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/E_SESSION_NOT_FOUND.*session_list/);
  });

  const unsupported: [string, Record<string, unknown>][] = [
    ['solve_captchas', { solve_captchas: true }],
    ['web_bot_auth', { web_bot_auth: true }],
    ['auth_ids', { auth_ids: ['a'] }],
    ['proxies', { proxies: true }],
    ['browser_type', { browser_type: 'firefox' }],
  ];
  for (const [field, args] of unsupported) {
    it(`answers ${field} with a clear not-supported error`, async () => {
      const result = await call(server.client, 'session_start', args);
      expect(result.isError).toBe(true);
      expect(result.text).toContain('E_NOT_SUPPORTED');
      expect(result.text).toContain(field);
    });
  }

  it('runs headless: false without a display headless, watched through its viewer_url', async () => {
    const result = await call(server.client, 'session_start', { headless: false });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured['headless']).toBe(false);
    expect(String(result.structured['viewer_url'])).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/viewer\//);
    await call(server.client, 'session_stop', { session_id: result.structured['session_id'] });
  });
});
