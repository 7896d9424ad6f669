import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import { chromiumProcesses, startHttpServer, waitFor } from './harness.js';
import type { HttpServer } from './harness.js';

const ALICE = 'alice-key-0123456789';
const BOB = 'bob-key-9876543210';

/** The headers Notte's Python SDK sends (../shared/spec/notte-rest.md). */
function sdkHeaders(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}`, 'x-notte-sdk-version': '1.8.28', 'x-notte-request-origin': 'sdk-python', 'content-type': 'application/json' };
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

describe('Notte-compatible REST API (--rest)', () => {
  let server: HttpServer;
  let pages: PageServer;
  let base: string;
  const api = async (method: string, path: string, body?: unknown, key = ALICE): Promise<Reply> => {
    const init: RequestInit = { method, headers: sdkHeaders(key) };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const response = await fetch(`${base}${path}`, init);
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: response.headers };
  };

  beforeAll(async () => {
    pages = await PageServer.start();
    pages.setContent('/form', '<h1>Sign up</h1><label>Name <input id="name"></label><button onclick="document.title=\'Hi \'+document.getElementById(\'name\').value">Send</button><p>Welcome text.</p>');
    server = await startHttpServer(['--rest', '--rest-api-key', ALICE, '--rest-api-key', BOB]);
    base = server.origin;
  });
  afterAll(async () => {
    await server.stop();
    await pages.close();
    await waitFor('no Chromium left', () => chromiumProcesses(server.tag).length, (n) => n === 0, 5_000);
  });

  it('answers GET /health without a key', async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('refuses a missing or unknown key with 401', async () => {
    const none = await fetch(`${base}/sessions/`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { message: string }).message).toMatch(/Bearer/);
    const wrong = await api('GET', '/sessions/', undefined, 'not-a-key');
    expect(wrong.status).toBe(401);
  });

  it('runs a whole session the way the SDK does: start, observe, execute, scrape, status, list, stop', async () => {
    // The start body notte-mcp records, solve_captchas true included.
    const start = await api('POST', '/sessions/start', {
      headless: true, solve_captchas: true, max_duration_minutes: 15, idle_timeout_minutes: 3, proxies: false, browser_type: 'chromium',
      viewport_width: 1280, viewport_height: 1080, use_file_storage: true, screenshot_type: 'last_action', web_bot_auth: false, auth_ids: [], wait_for_authentication: true,
    });
    expect(start.status).toBe(200);
    const id = start.body['session_id'];
    expect(typeof id).toBe('string');
    expect(start.body).toMatchObject({ status: 'active', idle_timeout_minutes: 3, timeout_minutes: 3, viewport_width: 1280, solve_captchas: false, closed_at: null });
    expect(start.body['detail']).toBeUndefined(); // a 200 with `detail` is an error to the SDK
    const sid = String(id);

    const goto = await api('POST', `/sessions/${sid}/page/execute`, { type: 'goto', category: 'Special Browser Actions', description: 'Goto to a URL (in current tab)', url: pages.url('/form') });
    expect(goto.status).toBe(200);
    expect(goto.body).toMatchObject({ success: true, exception: null, data: null, action: { type: 'goto' } });
    expect(typeof goto.body['started_at']).toBe('string');
    expect(typeof goto.body['ended_at']).toBe('string');

    const observed = await api('POST', `/sessions/${sid}/page/observe`, { max_nb_actions: 100, perception_type: 'fast' });
    expect(observed.status).toBe(200);
    const metadata = observed.body['metadata'] as Record<string, unknown>;
    expect(metadata['url']).toBe(pages.url('/form'));
    expect(metadata['viewport']).toMatchObject({ viewport_width: 1280, viewport_height: 1080 });
    // The viewport as a JPEG, which notte-mcp's screenshot tool shows: base64 of a real image of 1280x1080.
    const screenshot = observed.body['screenshot'] as { raw: string; bboxes: unknown[]; last_action_id: unknown };
    expect(screenshot).toMatchObject({ bboxes: [], last_action_id: null });
    const jpeg = Buffer.from(screenshot.raw, 'base64');
    expect(jpeg.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    expect(jpeg.subarray(-2).toString('hex')).toBe('ffd9');
    expect(jpeg.length).toBeGreaterThan(1000);
    const space = observed.body['space'] as { description: string; interaction_actions: Record<string, unknown>[] };
    expect(space.description).toContain('Sign up');
    const fill = space.interaction_actions.find((action) => action['type'] === 'fill');
    const button = space.interaction_actions.find((action) => action['type'] === 'click' && action['text_label'] === 'Send');
    expect(fill).toMatchObject({ id: 'I1', value: '<sample_value>', category: 'Interaction action' });
    expect(button).toMatchObject({ id: 'B1' });

    // Execute bodies carry extra fields the server must ignore (category, description, selector, text_label).
    const filled = await api('POST', `/sessions/${sid}/page/execute`, { type: 'fill', category: 'Interaction Actions', description: 'Fill an input field with a value', id: 'I1', timeout: 15000, value: 'Ada', clear_before_fill: true });
    expect(filled.body).toMatchObject({ success: true, action: { type: 'fill', id: 'I1' } });
    const clicked = await api('POST', `/sessions/${sid}/page/execute`, {
      type: 'click', category: 'Interaction action', description: '<button>Send</button>', id: 'B1', text_label: 'Send', timeout: 15000,
      selector: { css_selector: 'html > body > button', xpath_selector: 'html/body/button', in_iframe: false, in_shadow_root: false, notte_selector: '', iframe_parent_css_selectors: [] },
    });
    expect(clicked.body).toMatchObject({ success: true });

    const missing = await api('POST', `/sessions/${sid}/page/execute`, { type: 'click', id: 'B99' });
    expect(missing.status).toBe(200); // action failures are 200 with success false
    expect(missing.headers.get('x-error-class')).toBeNull();
    expect(missing.body['success']).toBe(false);
    expect(typeof missing.body['exception']).toBe('string');

    const scraped = await api('POST', `/sessions/${sid}/page/scrape`, { scrape_links: true, scrape_images: false, only_main_content: false, only_images: false, use_link_placeholders: false });
    expect(scraped.status).toBe(200);
    expect(scraped.body['markdown']).toContain('Welcome text.');
    expect(scraped.body).toMatchObject({ images: null, structured: null });

    const status = await api('GET', `/sessions/${sid}`);
    expect(status.body).toMatchObject({ session_id: sid, status: 'active' });
    expect((status.body['steps'] as unknown[]).length).toBeGreaterThanOrEqual(5);

    const listed = await api('GET', '/sessions/?only_active=True&page_size=10&page=1');
    expect(listed.status).toBe(200);
    expect((listed.body['items'] as { session_id: string }[]).map((item) => item.session_id)).toEqual([sid]);
    expect(listed.body).toMatchObject({ page: 1, page_size: 10, has_next: false, has_previous: false });

    const stopped = await api('DELETE', `/sessions/${sid}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body['status']).toBe('closed');
    expect(typeof stopped.body['closed_at']).toBe('string');
    const again = await api('DELETE', `/sessions/${sid}/stop`);
    expect(again.body).toMatchObject({ status: 'closed', closed_at: stopped.body['closed_at'] }); // idempotent

    const afterStop = await api('GET', '/sessions/?only_active=False');
    expect((afterStop.body['items'] as { status: string }[])[0]?.status).toBe('closed');
    const onDead = await api('POST', `/sessions/${sid}/page/observe`, {});
    expect(onDead.status).toBe(409);
    expect(String(onDead.body['message'])).toMatch(/not active.*session_start|start a new/i);
    // An execute that never ran (session ended, or unknown) is no execution error: no x-error-class, so the SDK
    // raises a plain NotteAPIError for it.
    const executeOnDead = await api('POST', `/sessions/${sid}/page/execute`, { type: 'goto', url: pages.url('/form') });
    expect(executeOnDead.status).toBe(409);
    expect(executeOnDead.headers.get('x-error-class')).toBeNull();
    const executeUnknown = await api('POST', '/sessions/00000000-0000-4000-8000-000000000000/page/execute', { type: 'goto', url: pages.url('/form') });
    expect(executeUnknown.status).toBe(404);
    expect(executeUnknown.headers.get('x-error-class')).toBeNull();
  });

  it('keeps each API key to its own sessions, exactly like an unknown id', async () => {
    const start = await api('POST', '/sessions/start', {}, ALICE);
    const id = String(start.body['session_id']);
    const foreign = await api('GET', `/sessions/${id}`, undefined, BOB);
    const unknown = await api('GET', '/sessions/00000000-0000-4000-8000-000000000000', undefined, BOB);
    expect(foreign.status).toBe(404);
    expect(String(foreign.body['message'])).toBe(String(unknown.body['message']).replace('00000000-0000-4000-8000-000000000000', id));
    expect((await api('DELETE', `/sessions/${id}/stop`, undefined, BOB)).status).toBe(404);
    expect((await api('GET', '/sessions/?only_active=True', undefined, BOB)).body['items']).toEqual([]);
    expect((await api('GET', `/sessions/${id}`, undefined, ALICE)).body['status']).toBe('active');
    await api('DELETE', `/sessions/${id}/stop`, undefined, ALICE);
  });

  it('sets and reads cookies: POST and GET /sessions/{id}/cookies, the request carries them, owners apart', async () => {
    const seen: string[] = [];
    const echo = pages.setRoute('/cookie-echo', (req, res) => {
      seen.push(req.headers.cookie ?? '');
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Echo</h1><script>document.cookie = "theme=dark; path=/"</script>');
    });
    const start = await api('POST', '/sessions/start', {}, ALICE);
    const id = String(start.body['session_id']);
    const secret = 'rest-cookie-value-7c1e90';
    const set = await api('POST', `/sessions/${id}/cookies`, { cookies: [{ name: 'sid', value: secret, domain: '127.0.0.1', path: '/', httpOnly: true, sameSite: 'lax' }] });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ success: true, message: 'Set 1 cookie(s).' });
    const went = await api('POST', `/sessions/${id}/page/execute`, { type: 'goto', url: echo });
    expect(went.body['success']).toBe(true);
    expect(seen.at(-1)).toContain(`sid=${secret}`);

    const got = await api('GET', `/sessions/${id}/cookies`);
    expect(got.status).toBe(200);
    const cookies = got.body['cookies'] as Array<Record<string, unknown>>;
    expect(cookies.find((cookie) => cookie['name'] === 'sid')).toMatchObject({ value: secret, domain: '127.0.0.1', path: '/', httpOnly: true, sameSite: 'Lax' });
    expect(cookies.find((cookie) => cookie['name'] === 'theme')).toMatchObject({ value: 'dark', httpOnly: false });

    const bad = await api('POST', `/sessions/${id}/cookies`, { cookies: [{ name: 'x', value: 'y' }] });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body['detail'])).toContain('domain');
    expect((await api('POST', `/sessions/${id}/cookies`, { cookies: [], extra: 1 })).status).toBe(422);
    expect((await api('GET', `/sessions/${id}/cookies`, undefined, BOB)).status).toBe(404);
    expect((await api('POST', `/sessions/${id}/cookies`, { cookies: [] }, BOB)).status).toBe(404);
    expect((await fetch(`${base}/sessions/${id}/cookies`)).status).toBe(401);
    await api('DELETE', `/sessions/${id}/stop`);
    expect((await api('GET', `/sessions/${id}/cookies`)).status).toBeGreaterThanOrEqual(400);
    expect(server.stderr()).not.toContain(secret);
  });

  it('answers validation errors as FastAPI does: 422 with detail[{loc, msg, type}]', async () => {
    const extra = await api('POST', '/sessions/start', { headless: true, no_such_field: 1 });
    expect(extra.status).toBe(422);
    expect(extra.body['detail']).toEqual([expect.objectContaining({ loc: ['body', 'no_such_field'], type: 'extra_forbidden', msg: 'Extra inputs are not permitted' })]);
    // Fields of our MCP session_start that Notte's SessionStartRequest lacks are unknown here too, as on the cloud.
    const ours = await api('POST', '/sessions/start', { headless: true, recording: false, expose_cdp: false, cdp_headers: {}, url: 'http://127.0.0.1/', cookies: [] });
    expect(ours.status).toBe(422);
    expect(ours.body['detail']).toEqual(['recording', 'expose_cdp', 'cdp_headers', 'url', 'cookies'].map((field) => expect.objectContaining({ loc: ['body', field], type: 'extra_forbidden', msg: 'Extra inputs are not permitted' })));

    const range = await api('POST', '/sessions/start', { idle_timeout_minutes: 99 });
    expect(range.status).toBe(422);
    expect((range.body['detail'] as { loc: unknown[] }[])[0]?.loc).toEqual(['body', 'idle_timeout_minutes']);

    const observeExtra = await api('POST', '/sessions/00000000-0000-4000-8000-000000000000/page/observe', { url: 'http://127.0.0.1/' });
    expect(observeExtra.status).toBe(422); // ObserveRequest forbids extra fields, url included

    const badAction = await api('POST', '/sessions/00000000-0000-4000-8000-000000000000/page/execute', { type: 'click' });
    expect(badAction.status).toBe(422);
    expect(JSON.stringify(badAction.body['detail'])).toMatch(/either an action id or a selector/);

    const huge = await api('POST', '/sessions/start', { user_agent: 'x'.repeat(5000), no_such: 'y'.repeat(5000) });
    expect(JSON.stringify(huge.body).length).toBeLessThan(1000); // bad values come back as short excerpts

    const notJson = await api('POST', '/sessions/start', '{not json');
    expect(notJson.status).toBe(422);
    expect(notJson.body['detail']).toEqual([expect.objectContaining({ type: 'json_invalid' })]);
  });

  it('answers unknown sessions, paths, methods and oversized bodies with their codes', async () => {
    const unknown = await api('GET', '/sessions/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(String(unknown.body['message'])).toMatch(/No session/);
    expect(unknown.body['detail']).toBeUndefined();
    expect((await api('GET', '/sessions/x/nowhere')).status).toBe(404);
    expect((await api('POST', '/sessions/00000000-0000-4000-8000-000000000000/stop')).status).toBe(405);
    const big = await api('POST', '/sessions/start', JSON.stringify({ user_agent: 'x'.repeat(2 * 1024 * 1024) }));
    expect(big.status).toBe(413);
  });
});

describe('REST API keys from the environment and from a keys file', () => {
  let server: HttpServer;
  let dir: string;
  const status = async (key: string): Promise<number> => (await fetch(`${server.origin}/sessions/`, { headers: { authorization: `Bearer ${key}` } })).status;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bsm-rest-keys-'));
    const file = join(dir, 'keys.txt');
    writeFileSync(file, '# the team\nfile-key-one-5b2e8c\n\n  file-key-two-91d04a  \n#commented-key-3f7a\n');
    server = await startHttpServer(['--rest', '--rest-api-keys-file', file], [], { BROWSER_SESSION_MCP_REST_API_KEYS: 'env-key-one-7c31d2,env-key-two-e0a94f' });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
    await waitFor('no Chromium left', () => chromiumProcesses(server.tag).length, (n) => n === 0, 15_000);
  });

  it('accepts every key of the env variable (comma-separated) and of the file (one a line, trimmed)', async () => {
    for (const key of ['env-key-one-7c31d2', 'env-key-two-e0a94f', 'file-key-one-5b2e8c', 'file-key-two-91d04a']) expect(await status(key), key).toBe(200);
  });

  it('refuses comment lines, the comma-joined env value and unknown keys', async () => {
    for (const key of ['#commented-key-3f7a', 'commented-key-3f7a', 'env-key-one-7c31d2,env-key-two-e0a94f', 'the']) expect(await status(key), key).toBe(401);
  });

  it('keeps each key an owner of its own, whichever source it came from', async () => {
    const started = await fetch(`${server.origin}/sessions/start`, { method: 'POST', headers: { authorization: 'Bearer env-key-one-7c31d2', 'content-type': 'application/json' }, body: '{}' });
    expect(started.status).toBe(200);
    const id = String(((await started.json()) as Record<string, unknown>)['session_id']);
    expect((await fetch(`${server.origin}/sessions/${id}`, { headers: { authorization: 'Bearer file-key-one-5b2e8c' } })).status).toBe(404);
    const stopped = await fetch(`${server.origin}/sessions/${id}/stop`, { method: 'DELETE', headers: { authorization: 'Bearer env-key-one-7c31d2' } });
    expect(stopped.status).toBe(200);
  });
});
