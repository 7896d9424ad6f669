import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { call, chromiumProcesses, startHttpServer, startPipedStdio, startSession, startStdio, waitFor } from './harness.js';
import type { StdioServer } from './harness.js';

let pages: PageServer;
let dataDir: string;
let server: StdioServer;

/** The token the fixture hands out at login; a cookie and localStorage carry it into later sessions. */
const SESSION_TOKEN = 'tok-7f3a9c';

/**
 * A login fixture: /login sets an HttpOnly cookie and, in the page, localStorage; /account answers from the
 * cookie the browser sent (server side) and the page shows what localStorage holds (client side).
 */
/** Opens the page's IndexedDB database `app` with its one store `kv`. */
const OPEN_DB = `function openDb() { return new Promise((resolve, reject) => { const r = indexedDB.open('app', 1); r.onupgradeneeded = () => r.result.createObjectStore('kv'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); }); }`;

function installLogin(site: PageServer): void {
  site.setContent('/login', `<script>${OPEN_DB}
    async function logIn() {
      await fetch('/do-login', { method: 'POST' });
      localStorage.setItem('user', 'ada');
      const db = await openDb();
      await new Promise((resolve) => { const tx = db.transaction('kv', 'readwrite'); tx.objectStore('kv').put('gold', 'plan'); tx.oncomplete = resolve; });
      document.title = 'in';
    }</script><button onclick="logIn()">Log in</button>`);
  site.setRoute('/do-login', (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'set-cookie': `sid=${SESSION_TOKEN}; Path=/; HttpOnly; Max-Age=3600`, 'content-type': 'text/plain' }).end('ok');
  });
  site.setRoute('/account', (req: IncomingMessage, res: ServerResponse) => {
    const loggedIn = (req.headers.cookie ?? '').includes(`sid=${SESSION_TOKEN}`);
    const body = loggedIn ? '<h1>Logged in</h1>' : '<h1>Please log in</h1>';
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>account</title>${body}<p id="who"></p><p id="plan"></p><script>${OPEN_DB}
      document.getElementById('who').textContent = 'user=' + localStorage.getItem('user');
      openDb().then((db) => { const get = db.transaction('kv').objectStore('kv').get('plan'); get.onsuccess = () => { document.getElementById('plan').textContent = 'plan=' + get.result; }; });
    </script>`);
  });
}

async function logIn(target: { client: Client }, profile: Record<string, unknown>): Promise<string> {
  const id = await startSession(target.client, { profile, url: pages.url('/login') });
  await call(target.client, 'observe', { session_id: id });
  const click = await call(target.client, 'step', { session_id: id, type: 'click', id: 'B1' });
  expect(click.structured['success'], click.text).toBe(true);
  // The marker is computed in the page, so the step's echo of the code cannot match it.
  const probe = { session_id: id, type: 'evaluate_js', code: "document.title === 'in' ? ['LOGGED', 'IN'].join('-') : 'not yet'" };
  await waitFor('the login to finish', async () => (await call(target.client, 'step', probe)).text, (text) => text.includes('LOGGED-IN'));
  return id;
}

async function accountText(target: { client: Client }, profile: Record<string, unknown> | undefined): Promise<string> {
  const id = await startSession(target.client, { ...(profile === undefined ? {} : { profile }), url: pages.url('/account') });
  // IndexedDB answers asynchronously: wait until the page has written what it found.
  const text = await waitFor('the account page to read its storage', async () => (await call(target.client, 'scrape', { session_id: id })).text, (scraped) => scraped.includes('plan='));
  await call(target.client, 'session_stop', { session_id: id });
  return text;
}

beforeAll(async () => {
  pages = await PageServer.start();
  installLogin(pages);
  dataDir = mkdtempSync(join(tmpdir(), 'bsm-profiles-'));
  server = await startStdio(['--caps', 'all', '--data-dir', dataDir]);
});

afterAll(async () => {
  await server?.close();
  await server?.exited;
  await pages.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('profiles: state that lasts across sessions', () => {
  it('logs in, stops with persist, and a new session on the profile is still logged in (cookie, localStorage, IndexedDB)', async () => {
    const id = await logIn(server, { id: 'shop-login', persist: true });
    await call(server.client, 'session_stop', { session_id: id });

    expect(await accountText(server, { id: 'shop-login' })).toMatch(/Logged in[\s\S]*user=ada[\s\S]*plan=gold/);
    // Without the profile the same page sees a stranger: the state came from the profile, not the browser.
    expect(await accountText(server, undefined)).toMatch(/Please log in[\s\S]*user=null[\s\S]*plan=undefined/);

    // Saved atomically: only the profile and no temp file or lock is left in the store.
    expect(readdirSync(join(dataDir, 'profiles'))).toEqual(['shop-login.json']);
    // The saved state is the browser's own: the HttpOnly cookie is in it, and nothing of it reached the log.
    expect(readFileSync(join(dataDir, 'profiles', 'shop-login.json'), 'utf8')).toContain(SESSION_TOKEN);
    expect(server.stderr()).not.toContain(SESSION_TOKEN);
  });

  it('lists profiles with their domains and deletes them', async () => {
    const id = await logIn(server, { id: 'to-delete', persist: true });
    await call(server.client, 'session_stop', { session_id: id });
    const listed = await call(server.client, 'profile_list', { name: 'to-del' });
    expect(listed.structured['items']).toEqual([expect.objectContaining({ profile_id: 'to-delete', persisted_domains: ['127.0.0.1'] })]);

    const deleted = await call(server.client, 'profile_delete', { profile_id: 'to-delete' });
    expect(deleted.structured).toMatchObject({ success: true });
    expect((await call(server.client, 'profile_list', { name: 'to-del' })).structured['items']).toEqual([]);
    const missing = await call(server.client, 'session_start', { profile: { id: 'to-delete' } });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/^E_PROFILE_NOT_FOUND: .*"persist": true/);
  });

  it('refuses a second session on a persisting profile, and takes it once the first has ended', async () => {
    const first = await startSession(server.client, { profile: { id: 'shared', persist: true } });
    const second = await call(server.client, 'session_start', { profile: { id: 'shared', persist: true } });
    expect(second.isError).toBe(true);
    expect(second.text).toMatch(/^E_PROFILE_LOCKED: Profile shared is in use.*session_stop.*"persist": false/);
    // Deleting it under the session would be undone when that session saves: refused too.
    expect((await call(server.client, 'profile_delete', { profile_id: 'shared' })).text).toMatch(/^E_PROFILE_LOCKED/);

    await call(server.client, 'session_stop', { session_id: first });
    const third = await startSession(server.client, { profile: { id: 'shared', persist: true } });
    await call(server.client, 'session_stop', { session_id: third });
  });

  it('takes over a lock left by a process that died', async () => {
    // A server killed with SIGKILL cannot remove its lock; a pid that no longer runs marks it stale.
    writeFileSync(join(dataDir, 'profiles', 'orphan.lock'), '999999999');
    const id = await startSession(server.client, { profile: { id: 'orphan', persist: true } });
    await call(server.client, 'session_stop', { session_id: id });
    expect(readdirSync(join(dataDir, 'profiles'))).not.toContain('orphan.lock');
  });

  it('saves the profile when the session ends by idle timeout', async () => {
    // --minute-ms 2000: the default idle_timeout_minutes 3 is six seconds, long enough for the login steps.
    const quick = await startStdio(['--caps', 'all', '--data-dir', dataDir, '--minute-ms', '2000']);
    try {
      const id = await logIn(quick, { id: 'idle-save', persist: true });
      await waitFor('the idle timeout', async () => (await call(quick.client, 'session_status', { session_id: id })).structured['status'], (status) => status === 'timed_out', 30_000);
      expect(await accountText(server, { id: 'idle-save' })).toContain('Logged in');
    } finally {
      await quick.close();
      await quick.exited;
    }
  });

  it('refuses profile ids that could name a path', async () => {
    for (const bad of ['../etc', 'a/b', '.hidden', '']) {
      const result = await call(server.client, 'session_start', { profile: { id: bad, persist: true } });
      expect(result.isError, bad).toBe(true);
      expect(result.text, bad).toMatch(/^E_INVALID_INPUT: .*profile/);
    }
    expect((await call(server.client, 'profile_delete', { profile_id: '../../x' })).text).toMatch(/^E_INVALID_INPUT: .*profile_id/);
  });
});

describe('profiles: the conversation ends under a persisting session', () => {
  it('saves the profile when an HTTP client ends its MCP session (DELETE)', async () => {
    const http = await startHttpServer(['--caps', 'all', '--data-dir', dataDir]);
    try {
      const { client, transport } = await http.connect();
      await logIn({ client }, { id: 'http-client', persist: true });
      await transport.terminateSession();
      const other = (await http.connect()).client;
      await waitFor('the profile to be saved', async () => (await call(other, 'profile_list', { name: 'http-client' })).structured['items'], (items) => Array.isArray(items) && items.length === 1);
      expect(await accountText({ client: other }, { id: 'http-client' })).toMatch(/Logged in[\s\S]*plan=gold/);
    } finally {
      await http.stop();
    }
  });
});

describe('profiles: a SIGTERM of the server mid-session', () => {
  it('saves the profile on shutdown, and the next server finds the login', async () => {
    const doomed = await startStdio(['--caps', 'all', '--data-dir', dataDir]);
    await logIn(doomed, { id: 'survivor', persist: true });
    process.kill(doomed.pid, 'SIGTERM');
    await doomed.exited;
    await doomed.close();
    await waitFor('its browsers to exit', () => chromiumProcesses(doomed.tag).length, (count) => count === 0);
    expect(readdirSync(join(dataDir, 'profiles'))).not.toContain('survivor.lock');

    const next = await startStdio(['--caps', 'all', '--data-dir', dataDir]);
    try {
      expect(await accountText(next, { id: 'survivor' })).toMatch(/Logged in[\s\S]*user=ada[\s\S]*plan=gold/);
    } finally {
      await next.close();
      await next.exited;
    }
  });
});

/** The profile as the store wrote it; throws (failing the test) when the file is not whole JSON. */
function savedProfile(id: string): { text: string; localStorage: Record<string, string> } {
  const text = readFileSync(join(dataDir, 'profiles', `${id}.json`), 'utf8');
  const parsed = JSON.parse(text) as { state: { origins: { localStorage?: { name: string; value: string }[] }[] } }; // the store's own file format, read back
  const localStorage: Record<string, string> = {};
  for (const origin of parsed.state.origins) for (const item of origin.localStorage ?? []) localStorage[item.name] = item.value;
  return { text, localStorage };
}

/** Runs `code` (an expression) in the session's page and waits for it to report done. */
async function inPage(target: { client: Client }, id: string, code: string): Promise<void> {
  const result = await call(target.client, 'step', { session_id: id, type: 'evaluate_js', code: `(${code}, ['DO', 'NE'].join('-'))` });
  expect(result.text, result.text).toContain('DO-NE');
}

function tempFilesIn(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.tmp'));
}

describe('profiles: saved on the remaining end paths', () => {
  it('saves the profile when the session reaches max_duration_minutes', async () => {
    // --minute-ms 2000: max_duration_minutes 8 is 16 s, long enough for the login on a loaded machine.
    const quick = await startStdio(['--caps', 'all', '--data-dir', dataDir, '--minute-ms', '2000']);
    try {
      const id = await startSession(quick.client, { profile: { id: 'max-save', persist: true }, url: pages.url('/login'), idle_timeout_minutes: 8, max_duration_minutes: 8 });
      await call(quick.client, 'observe', { session_id: id });
      expect((await call(quick.client, 'step', { session_id: id, type: 'click', id: 'B1' })).structured['success']).toBe(true);
      const probe = { session_id: id, type: 'evaluate_js', code: "document.title === 'in' ? ['LOGGED', 'IN'].join('-') : 'not yet'" };
      await waitFor('the login to finish', async () => (await call(quick.client, 'step', probe)).text, (text) => text.includes('LOGGED-IN'));
      // Busy until the end, so the idle timer cannot be the one that ends it.
      const status = await waitFor('the max duration', async () => {
        await call(quick.client, 'observe', { session_id: id });
        return (await call(quick.client, 'session_status', { session_id: id })).structured;
      }, (value) => value['status'] !== 'active', 40_000);
      expect(status).toMatchObject({ status: 'timed_out', close_reason: 'max_duration' });
      expect(savedProfile('max-save').localStorage['user']).toBe('ada');
      expect(await accountText(server, { id: 'max-save' })).toMatch(/Logged in[\s\S]*user=ada[\s\S]*plan=gold/);
    } finally {
      await quick.close();
      await quick.exited;
    }
  });

  it('saves the profile when a stdio client closes stdin (EOF), with no signal sent', async () => {
    const piped = await startPipedStdio(['--caps', 'all', '--data-dir', dataDir]);
    try {
      await logIn(piped, { id: 'eof-save', persist: true });
      piped.endStdin();
      expect(await piped.exited).toBe(0);
      expect(piped.stderr()).toMatch(/shutting down.*stdin closed/);
      expect(readdirSync(join(dataDir, 'profiles'))).not.toContain('eof-save.lock');
      await waitFor('its browsers to exit', () => chromiumProcesses(piped.tag).length, (count) => count === 0);
      expect(await accountText(server, { id: 'eof-save' })).toMatch(/Logged in[\s\S]*user=ada[\s\S]*plan=gold/);
    } finally {
      // A server that ignored the EOF would otherwise outlive the test.
      if (piped.child.exitCode === null && piped.child.signalCode === null) piped.child.kill('SIGKILL');
    }
  });
});

describe('profiles: a save that fails half way', () => {
  it('keeps the old profile whole when writing the new one fails mid-file, and saves the next state once it can', async () => {
    const id = await logIn(server, { id: 'atomic', persist: true });
    await call(server.client, 'session_stop', { session_id: id });
    const before = savedProfile('atomic');
    expect(before.text.length).toBeLessThan(16 * 1024);

    const limited = await startStdio(['--caps', 'all', '--data-dir', dataDir]);
    try {
      const big = await startSession(limited.client, { profile: { id: 'atomic', persist: true }, url: pages.url('/account') });
      await inPage(limited, big, "localStorage.setItem('user', 'eve'), localStorage.setItem('bulk', 'x'.repeat(300000))");
      // A file size limit on the server process alone (its browser is already running): a write past 64 KiB fails
      // with EFBIG after the first 64 KiB reached the disk, as a full disk would. An in-place write would leave
      // those 64 KiB of JSON as the profile.
      execFileSync('prlimit', ['--pid', String(limited.pid), '--fsize=65536:unlimited']);
      const stopped = await call(limited.client, 'session_stop', { session_id: big });
      // The agent is told, on both channels, that the login it meant to keep was not kept.
      expect(stopped.structured).toMatchObject({ status: 'closed', error: expect.stringMatching(/^profile "atomic" was not saved \(.*\); it keeps its earlier state$/) });
      expect(stopped.text).toContain('profile "atomic" was not saved');
      await waitFor('the failed save in the log', () => limited.stderr(), (text) => text.includes('profile not saved'));
      expect(savedProfile('atomic').text).toBe(before.text);
      expect(tempFilesIn(join(dataDir, 'profiles'))).toEqual([]);
      expect(await accountText(server, { id: 'atomic' })).toMatch(/Logged in[\s\S]*user=ada/);

      execFileSync('prlimit', ['--pid', String(limited.pid), '--fsize=unlimited:unlimited']);
      const again = await startSession(limited.client, { profile: { id: 'atomic', persist: true }, url: pages.url('/account') });
      await inPage(limited, again, "localStorage.setItem('user', 'eve'), localStorage.setItem('bulk', 'x'.repeat(300000))");
      await call(limited.client, 'session_stop', { session_id: again });
      const after = savedProfile('atomic');
      expect(after.localStorage['user']).toBe('eve');
      expect(after.localStorage['bulk']?.length).toBe(300000);
      expect(tempFilesIn(join(dataDir, 'profiles'))).toEqual([]);
    } finally {
      await limited.close();
      await limited.exited;
    }
  });
});

describe('profiles: persist false beside a persisting session', () => {
  it('opens the locked profile read-only: it sees the saved login, and its changes are never saved', async () => {
    const first = await logIn(server, { id: 'read-only', persist: true });
    await call(server.client, 'session_stop', { session_id: first });

    const holder = await startSession(server.client, { profile: { id: 'read-only', persist: true } });
    const locked = await call(server.client, 'session_start', { profile: { id: 'read-only', persist: true } });
    expect(locked.text).toMatch(/^E_PROFILE_LOCKED: .*"persist": false \(read-only\)/);

    const reader = await startSession(server.client, { profile: { id: 'read-only', persist: false }, url: pages.url('/account') });
    const seen = await waitFor('the reader to read its storage', async () => (await call(server.client, 'scrape', { session_id: reader })).text, (text) => text.includes('plan='));
    expect(seen).toMatch(/Logged in[\s\S]*user=ada[\s\S]*plan=gold/);
    await inPage(server, reader, "localStorage.setItem('user', 'mallory'), document.cookie = 'intruder=1; path=/'");
    await call(server.client, 'session_stop', { session_id: reader });

    expect(savedProfile('read-only').text).not.toMatch(/mallory|intruder/);
    // The reader's end gave back no lock it never held: the holder still has the profile to itself.
    expect((await call(server.client, 'session_start', { profile: { id: 'read-only', persist: true } })).text).toMatch(/^E_PROFILE_LOCKED/);

    await call(server.client, 'session_stop', { session_id: holder });
    const saved = savedProfile('read-only');
    expect(saved.text).not.toMatch(/mallory|intruder/);
    expect(saved.localStorage['user']).toBe('ada');
    expect(await accountText(server, { id: 'read-only' })).toMatch(/Logged in[\s\S]*user=ada/);
  });
});
