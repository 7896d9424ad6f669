import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import { call, chromiumProcesses, CLI, startHttpServer, startSession, startStdio, waitFor } from './harness.js';
import type { HttpServer, StdioServer, ToolCall } from './harness.js';

const KEY = 'notte-backend-key-5f0c2a9e71';

const FORM = `<h1>Sign up</h1>
<p>Welcome to the <a href="/about">club</a>.</p>
<label>Name <input id="name" placeholder="Your name"></label>
<label>Plan <select id="plan"><option>Free</option><option>Pro</option></select></label>
<button onclick="document.title = 'Hi ' + document.getElementById('name').value">Send</button>
<table><tr><th>Plan</th><th>Price</th></tr><tr><td>Free</td><td>0</td></tr><tr><td>Pro</td><td>9</td></tr></table>`;

const LONG = `<h1>Long list</h1>${Array.from({ length: 400 }, (_, i) => `<p>Paragraph ${i + 1} of the long page, with enough words to weigh something in tokens.</p>`).join('')}<button>Last button</button>`;

/** What a session's answers look like with ids and timestamps that differ between two sessions taken out. */
function comparable(result: ToolCall): string {
  return result.text.replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, '<time>').replace(/[Ww]aited \d+ms/g, 'waited <n>ms');
}

/**
 * The chain the issue asks for: an MCP client → this server with --backend notte → undici → this server's own
 * Notte REST API (--rest, a second process) → local Chromium. Every answer is compared with a local session's.
 */
describe('--backend notte, against our own Notte REST API', () => {
  let pages: PageServer;
  let api: HttpServer;
  let notte: StdioServer;
  let local: StdioServer;

  beforeAll(async () => {
    pages = await PageServer.start();
    pages.setContent('/form', FORM);
    pages.setContent('/about', '<h1>About the club</h1>');
    pages.setContent('/long', LONG);
    api = await startHttpServer(['--rest', '--rest-api-key', KEY]);
    notte = await startStdio(['--backend', 'notte', '--notte-api-url', api.origin, '--log-level', 'debug'], undefined, { NOTTE_API_KEY: KEY });
    local = await startStdio();
  });

  afterAll(async () => {
    await notte?.close();
    await local?.close();
    await api?.stop();
    await pages?.close();
    await waitFor('no Chromium of either server left', () => chromiumProcesses(api.tag).length + chromiumProcesses(local.tag).length, (n) => n === 0, 15_000);
  });

  const restSessions = async (): Promise<Array<Record<string, unknown>>> => {
    const response = await fetch(`${api.origin}/sessions/?only_active=False&page_size=100`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Array<Record<string, unknown>> | { items: Array<Record<string, unknown>> };
    return Array.isArray(body) ? body : body.items;
  };

  it('starts, observes, steps and scrapes in the same words as a local session', async () => {
    const url = pages.url('/form');
    const remote = await startSession(notte.client, { url });
    const here = await startSession(local.client, { url });
    expect((await restSessions()).filter((session) => session['status'] === 'active')).toHaveLength(1);

    const [remoteSeen, localSeen] = [await call(notte.client, 'observe', { session_id: remote }), await call(local.client, 'observe', { session_id: here })];
    expect(remoteSeen.isError, remoteSeen.text).toBe(false);
    expect(comparable(remoteSeen)).toBe(comparable(localSeen));
    expect(remoteSeen.text).toContain('Sign up');
    const ids = (result: ToolCall): string[] => ((result.structured['space'] as { interaction_actions: Array<{ id: string }> }).interaction_actions).map((action) => action.id);
    expect(ids(remoteSeen)).toEqual(ids(localSeen));
    expect(ids(remoteSeen)).toContain('I1');

    for (const action of [{ type: 'fill', id: 'I1', value: 'Ada' }, { type: 'select_dropdown_option', id: 'I2', value: 'Pro' }, { type: 'click', id: 'B1' }]) {
      const [a, b] = [await call(notte.client, 'step', { session_id: remote, ...action }), await call(local.client, 'step', { session_id: here, ...action })];
      expect(a.structured['success'], a.text).toBe(true);
      expect(comparable(a)).toBe(comparable(b));
      expect(a.structured['action']).toMatchObject({ type: action.type, id: action.id });
    }
    const titled = await call(notte.client, 'observe', { session_id: remote });
    expect(titled.structured['metadata']).toMatchObject({ title: 'Hi Ada' });

    const [a, b] = [await call(notte.client, 'scrape', { session_id: remote }), await call(local.client, 'scrape', { session_id: here })];
    expect(a.isError, a.text).toBe(false);
    expect(a.text).toBe(b.text);
    expect((a.structured as { markdown: string }).markdown).toContain('| Pro | 9 |');

    const status = await call(notte.client, 'session_status', { session_id: remote });
    expect(status.structured).toMatchObject({ status: 'active', session_id: remote });
    expect((status.structured['steps'] as unknown[]).length).toBeGreaterThanOrEqual(6);

    const stopped = await call(notte.client, 'session_stop', { session_id: remote });
    expect(stopped.structured['status']).toBe('closed');
    // Our stop reached the API: its session is closed too, so no cloud browser keeps running.
    await waitFor('the API session closed', restSessions, (list) => list.length === 1 && list.every((session) => session['status'] === 'closed'));
    await call(local.client, 'session_stop', { session_id: here });
  });

  it('reads a long page through a cursor, as a local session does', async () => {
    const remote = await startSession(notte.client, { url: pages.url('/long') });
    const first = await call(notte.client, 'observe', { session_id: remote, max_tokens: 1000 });
    const cursor = first.structured['next_cursor'];
    expect(typeof cursor, first.text).toBe('string');
    expect(first.text).toContain('Paragraph 1 ');
    expect(first.text).toContain(`observe with cursor="${String(cursor)}" for the rest`);
    let text = first.text;
    let next: unknown = cursor;
    for (let parts = 0; typeof next === 'string' && parts < 30; parts++) {
      const more = await call(notte.client, 'observe', { session_id: remote, max_tokens: 1000, cursor: next });
      expect(more.isError, more.text).toBe(false);
      expect(more.text).toContain('… continued from the previous observe (same ids)');
      text += more.text;
      next = more.structured['next_cursor'];
    }
    expect(next).toBeUndefined();
    expect(text).toContain('Paragraph 400 ');
    expect(text).toContain('Last button');
    const bad = await call(notte.client, 'observe', { session_id: remote, cursor: '99.5' });
    expect(bad.text).toMatch(/^E_BAD_CURSOR: /);
    await call(notte.client, 'session_stop', { session_id: remote });
  });

  it('turns the API session ending under it into an error with the reason, and keeps serving', async () => {
    const remote = await startSession(notte.client, { url: pages.url('/about') });
    const apiId = (await restSessions()).find((session) => session['status'] === 'active')?.['session_id'];
    expect(typeof apiId).toBe('string');
    const killed = await fetch(`${api.origin}/sessions/${String(apiId)}/stop`, { method: 'DELETE', headers: { authorization: `Bearer ${KEY}` } });
    expect(killed.status).toBe(200);
    const after = await call(notte.client, 'observe', { session_id: remote });
    expect(after.isError).toBe(true);
    expect(after.text).toMatch(/^E_SESSION_NOT_ACTIVE: The Notte session behind this one has ended \(Notte API: .+\)\. Start a new one with session_start\.$/);
    const status = await call(notte.client, 'session_status', { session_id: remote });
    expect(status.structured).toMatchObject({ status: 'error' });
    expect(String(status.structured['error'])).toContain('the Notte session ended');
    const again = await startSession(notte.client, { url: pages.url('/about') });
    expect((await call(notte.client, 'observe', { session_id: again })).text).toContain('About the club');
    await call(notte.client, 'session_stop', { session_id: again });
  });

  it('reads a session the API ended as ended at once: session_status and session_list ask the API, no page call needed', async () => {
    const remote = await startSession(notte.client, { url: pages.url('/about') });
    const other = await startSession(notte.client, { url: pages.url('/about') });
    const listedBefore = await call(notte.client, 'session_list', {});
    expect((listedBefore.structured['items'] as Array<{ session_id: string }>).map((item) => item.session_id).sort()).toEqual([remote, other].sort());
    const active = (await restSessions()).filter((session) => session['status'] === 'active').map((session) => String(session['session_id']));
    expect(active).toHaveLength(2);
    // The API's ids are not ours: one of the two is ended there, and exactly one of ours must read so.
    const killed = await fetch(`${api.origin}/sessions/${active[0] ?? ''}/stop`, { method: 'DELETE', headers: { authorization: `Bearer ${KEY}` } });
    expect(killed.status).toBe(200);

    const statuses = [await call(notte.client, 'session_status', { session_id: remote }), await call(notte.client, 'session_status', { session_id: other })];
    const ended = statuses.filter((status) => status.structured['status'] !== 'active');
    expect(ended).toHaveLength(1);
    expect(ended[0]?.structured).toMatchObject({ status: 'closed', close_reason: 'manual' });
    expect(String(ended[0]?.structured['error'])).toBe('the Notte API reports the session closed (close_reason manual)');
    expect(typeof ended[0]?.structured['closed_at']).toBe('string');
    const stillActive = statuses.find((status) => status.structured['status'] === 'active');
    expect(stillActive).toBeDefined();

    const listed = await call(notte.client, 'session_list', {});
    expect((listed.structured['items'] as Array<{ session_id: string }>).map((item) => item.session_id)).toEqual([stillActive?.structured['session_id']]);
    const page = await call(notte.client, 'observe', { session_id: String(ended[0]?.structured['session_id']) });
    expect(page.text).toMatch(/^E_SESSION_NOT_ACTIVE: Session .+ is not active \(closed \(the Notte API reports the session closed/);
    await call(notte.client, 'session_stop', { session_id: remote });
    await call(notte.client, 'session_stop', { session_id: other });
  });

  it('ends a session on the list read when the API ended it, without any page call', async () => {
    const remote = await startSession(notte.client, { url: pages.url('/about') });
    const apiId = (await restSessions()).find((session) => session['status'] === 'active')?.['session_id'];
    expect(typeof apiId).toBe('string');
    expect((await fetch(`${api.origin}/sessions/${String(apiId)}/stop`, { method: 'DELETE', headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
    const listed = await call(notte.client, 'session_list', { only_active: false });
    expect(listed.structured['items']).toEqual(expect.arrayContaining([expect.objectContaining({ session_id: remote, status: 'closed', error: 'the Notte API reports the session closed (close_reason manual)' })]));
    expect((await call(notte.client, 'session_list', {})).structured['items']).toEqual([]);
  });

  it('never writes the API key to its logs', () => {
    expect(notte.stderr()).toContain('Notte session started'); // debug logging was on, and the log was read
    expect(notte.stderr()).not.toContain(KEY);
    expect(api.stderr()).not.toContain(KEY);
  });

  it('answers a wrong key with E_BACKEND_AUTH and the API\'s own words', async () => {
    const wrong = await startStdio(['--backend', 'notte', '--notte-api-url', api.origin], undefined, { NOTTE_API_KEY: 'not-the-key' });
    try {
      const result = await call(wrong.client, 'session_start', {});
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/^E_BACKEND_AUTH: Notte API: Missing or unknown API key.* Check NOTTE_API_KEY/);
    } finally {
      await wrong.close();
    }
  });

  it('answers an API that is not there with E_BACKEND_UNAVAILABLE, within its retries', async () => {
    const gone = await startStdio(['--backend', 'notte', '--notte-api-url', 'http://127.0.0.1:9'], undefined, { NOTTE_API_KEY: KEY });
    try {
      const result = await call(gone.client, 'session_start', {});
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/^E_BACKEND_UNAVAILABLE: The Notte API at http:\/\/127\.0\.0\.1:9 could not be reached/);
    } finally {
      await gone.close();
    }
  });

});

describe('--backend notte with --record', () => {
  it('exits at start with one line: the cloud browser cannot be recorded here', () => {
    const run = spawnSync(process.execPath, [CLI, '--backend', 'notte', '--record'], { env: { ...process.env, NOTTE_API_KEY: KEY }, encoding: 'utf8', input: '', timeout: 20_000 });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual(['browser-session-mcp: --record cannot record sessions on --backend notte: this server has no browser of its own there. Leave --record out (the Notte cloud keeps its own replays).']);
  });
});

describe('--backend notte without a key', () => {
  it('exits at start with one line naming NOTTE_API_KEY', () => {
    const env = { ...process.env };
    delete env['NOTTE_API_KEY'];
    const run = spawnSync(process.execPath, [CLI, '--backend', 'notte'], { env, encoding: 'utf8', input: '', timeout: 20_000 });
    expect(run.status).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toEqual(['browser-session-mcp: --backend notte needs the NOTTE_API_KEY environment variable. Set it to your Notte API key (or to a key of the self-hosted server at --notte-api-url).']);
  });
});
