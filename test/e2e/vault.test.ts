import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, totp } from '../../src/vault/totp.js';
import { PageServer } from '../fixtures/pageServer.js';
import { CLI, call, chromiumProcesses, startHttpServer, startSession, startStdio, waitFor } from './harness.js';
import type { HttpServer, StdioServer, ToolCall } from './harness.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';

// Characters that HTML, URLs and JSON each spell differently, so every echo of it takes another form.
const PASSWORD = 'Tr0ub4dor&3 "horse" <staple>';
const MFA_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DP';
const USERNAME = 'ada.lovelace';
const EMAIL = 'ada.lovelace@example.org';
const CARD = '5555 4444 3333 1111';
const CVV = '7391';
const KEY = Buffer.alloc(32, 0x5a).toString('base64');
const OTHER_KEY = Buffer.alloc(32, 0x33).toString('base64');

const html = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

let dataDir: string;
let keyFile: string;
let vaultId: string;
let pages: PageServer;
let phishing: PageServer;
let server: StdioServer;
/** Every answer the client received, whole, to grep for secrets at the end. */
const answers: string[] = [];
/** The one-time codes the fixture accepted: secrets too while they are valid. */
const codes: string[] = [];

function vaultCli(args: string[], input = '', env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, 'vault', ...args, '--data-dir', dataDir], { input, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', HOME: dataDir, ...env } });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

async function send(name: string, args: Record<string, unknown>): Promise<ToolCall> {
  const result = await call(server.client, name, args);
  answers.push(JSON.stringify(result.raw));
  return result;
}

function idOf(observation: ToolCall, label: string): string {
  const space = observation.structured['space'] as { interaction_actions: { id: string; label?: string }[] }; // the observe output schema
  const found = space.interaction_actions.find((action) => action.label === label);
  if (found === undefined) throw new Error(`no element labelled ${label} in ${observation.text}`);
  return found.id;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return new URLSearchParams(body);
}

function page(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html><head><meta charset="utf-8"><title>Bank</title></head><body>${body}</body></html>`);
}

const LOGIN_FORM = `<h1>Sign in</h1><form method="post" action="/login">
  <label>Username <input name="username" autocomplete="username"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password"></label>
  <button>Sign in</button></form>`;

function servePages(): void {
  pages.setRoute('/login', (req, res) => {
    if (req.method !== 'POST') return page(res, LOGIN_FORM);
    void readForm(req).then((form) => {
      const pw = form.get('password') ?? '';
      if (form.get('username') !== USERNAME || pw !== PASSWORD) return page(res, `<p>Wrong login for ${html(form.get('username') ?? '')}</p>`);
      // A careless site: the password comes back as text, in an attribute, in a link and in a script string.
      page(res, `<p>Password accepted: ${html(pw)}</p>
        <input name="echo" value="${html(pw)}" aria-label="Echo">
        <a href="/help?pw=${encodeURIComponent(pw)}">Help with ${html(pw)}</a>
        <script>window.lastPassword = ${JSON.stringify(pw).replace(/</g, '\\u003c')};</script>
        <h2>Two-step verification</h2><form method="post" action="/mfa">
        <label>Code <input name="code" autocomplete="one-time-code" inputmode="numeric"></label><button>Verify</button></form>`);
    });
  });
  pages.setRoute('/mfa', (req, res) => {
    void readForm(req).then((form) => {
      const code = form.get('code') ?? '';
      const key = base32Decode(MFA_SECRET) ?? Buffer.alloc(0);
      // The code of this 30 s window or the one before: the step may straddle a boundary.
      const valid = [totp(key, Date.now()), totp(key, Date.now() - 30_000)];
      codes.push(...valid);
      page(res, valid.includes(code) ? `<h1>Welcome, ${USERNAME}</h1><p>Code ${code} accepted.</p>` : `<h1>Bad code ${html(code)}</h1>`);
    });
  });
  phishing.setContent('/login', `<h1>Sign in (not really)</h1><form><label>Username <input name="username" autocomplete="username"></label>
    <label>Password <input name="password" type="text" autocomplete="current-password"></label><button type="button">Sign in</button></form>`);
  pages.setRoute('/pay', (req, res) => {
    if (req.method !== 'POST') {
      return page(res, `<form method="post" action="/pay"><label>Card number <input name="cc" autocomplete="cc-number"></label>
        <label>CVC <input name="cvc" autocomplete="cc-csc"></label><button>Pay</button></form>`);
    }
    void readForm(req).then((form) => page(res, `<p>Charged card ${html(form.get('cc') ?? '')} (cvc ${html(form.get('cvc') ?? '')}).</p>`));
  });
  phishing.setContent('/frame', `<label>Password <input name="pw" type="text"></label>`);
  pages.setContent('/framed', `<h1>Bank with a widget</h1><iframe src="${phishing.url('/frame')}" width="400" height="100"></iframe>`);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'bsm-vault-'));
  keyFile = join(dataDir, 'vault.key');
  writeFileSync(keyFile, `${KEY}\n`, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  pages = await PageServer.start();
  phishing = await PageServer.start();
  servePages();
  const created = vaultCli(['create', '--name', 'bank', '--vault-key-file', keyFile]);
  expect(created.status, created.stderr).toBe(0);
  vaultId = created.stdout;
  const added = vaultCli(['add', vaultId, '--url', pages.origin, '--username', USERNAME, '--email', EMAIL, '--mfa', '--vault-key-file', keyFile], `${PASSWORD}\n${MFA_SECRET}\n`);
  expect(added.status, added.stderr).toBe(0);
  server = await startStdio(['--data-dir', dataDir, '--vault-key-file', keyFile, '--log-level', 'debug']);
});

afterAll(async () => {
  await server.close();
  await server.exited;
  await waitFor('no Chromium of the stdio server left', () => chromiumProcesses(server.tag).length, (n) => n === 0, 10_000);
  await pages.close();
  await phishing.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('vault CLI', () => {
  it('keeps secrets off the command line and out of its own output', () => {
    const refused = vaultCli(['add', vaultId, '--url', 'example.com', '--username', 'x', '--password', 'hunter22', '--vault-key-file', keyFile]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('secrets are read from stdin, never from the command line');
    const listed = vaultCli(['list', vaultId, '--vault-key-file', keyFile]);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(`${pages.origin}  username ${USERNAME}, email a***@example.org, password, mfa`);
    expect(listed.stdout).not.toContain(PASSWORD);
    expect(listed.stdout).not.toContain(MFA_SECRET);
    expect(readFileSync(join(dataDir, 'vaults', `${vaultId}.vault.json`), 'utf8')).not.toContain('ada');
  });

  it('adds and removes a login and a card; an empty stdin is refused', () => {
    const empty = vaultCli(['add', vaultId, '--url', 'shop.example.com', '--email', 'a@b.c', '--vault-key-file', keyFile]);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('stdin must hold the password');
    expect(vaultCli(['add', vaultId, '--url', 'shop.example.com', '--email', 'a@b.c', '--vault-key-file', keyFile], 'shop-password-1\n').status).toBe(0);
    expect(vaultCli(['add-card', vaultId, '--holder', 'Ada Lovelace', '--expiration', '12/30', '--vault-key-file', keyFile], '4242 4242 4242 4242\n123\n').status).toBe(0);
    const listed = vaultCli(['list', vaultId], '', { BROWSER_SESSION_MCP_VAULT_KEY: KEY });
    expect(listed.stdout).toContain('shop.example.com  email a***@b.c, password');
    expect(listed.stdout).toContain('card Ada Lovelace •••• 4242');
    expect(listed.stdout).not.toContain('4242 4242');
    expect(vaultCli(['remove', vaultId, '--url', 'shop.example.com', '--vault-key-file', keyFile]).status).toBe(0);
    expect(vaultCli(['remove', vaultId, '--card', '--vault-key-file', keyFile]).status).toBe(0);
    expect(vaultCli(['list', vaultId, '--vault-key-file', keyFile]).stdout).toBe(`${vaultId}  "bank"  1 login(s)\n  ${pages.origin}  username ${USERNAME}, email a***@example.org, password, mfa`);
  });

  it('refuses a key file other users can read, and a missing key, with the fix', () => {
    const loose = join(dataDir, 'loose.key');
    writeFileSync(loose, KEY, { mode: 0o644 });
    chmodSync(loose, 0o644);
    const looseRun = vaultCli(['list', vaultId, '--vault-key-file', loose]);
    expect(looseRun.status).toBe(1);
    expect(looseRun.stderr).toContain(`E_VAULT_KEY: The vault key file ${loose} has mode 644; it must be 0600. Run chmod 600 ${loose}.`);
    const none = vaultCli(['list', vaultId]);
    expect(none.stderr).toMatch(/E_VAULT_KEY: No vault key is configured.*BROWSER_SESSION_MCP_VAULT_KEY/);
    expect(execFileSync(process.execPath, [CLI, 'vault', 'keygen'], { encoding: 'utf8' }).trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});

describe('logging in with placeholders only', () => {
  let sessionId: string;

  it('advertises vault_id and the placeholders', async () => {
    const { tools } = await server.client.listTools();
    const start = tools.find((tool) => tool.name === 'session_start');
    expect(start?.inputSchema.properties).toHaveProperty('vault_id');
    expect(tools.find((tool) => tool.name === 'step')?.description).toContain('{{vault.username|email|password|mfa}}');
  });

  it('shows which credentials apply on the page, never their values', async () => {
    sessionId = await startSession(server.client, { vault_id: vaultId, url: pages.url('/login') });
    const seen = await send('observe', { session_id: sessionId });
    expect(seen.isError).toBe(false);
    expect(seen.structured['vault']).toEqual([{ url: pages.origin, username: USERNAME, email: 'a***@example.org', placeholders: ['{{vault.email}}', '{{vault.username}}', '{{vault.password}}', '{{vault.mfa}}'] }]);
    expect(seen.text).toContain(`Vault (fill these placeholders; values stay hidden): ${pages.origin} (${USERNAME}): {{vault.email}} {{vault.username}} {{vault.password}} {{vault.mfa}}`);
  });

  it('signs in with form_fill, then multi_factor_fill computes the TOTP code', async () => {
    const filled = await send('step', { session_id: sessionId, type: 'form_fill', value: { username: '{{vault.username}}', password: '{{vault.password}}' } });
    expect(filled.isError, filled.text).toBe(false);
    expect(filled.structured['success']).toBe(true);
    const login = await send('observe', { session_id: sessionId });
    const clicked = await send('step', { session_id: sessionId, type: 'click', id: idOf(login, 'Sign in') });
    expect(clicked.structured['success'], clicked.text).toBe(true);
    const mfaPage = await send('observe', { session_id: sessionId });
    expect(mfaPage.text).toContain('Password accepted: {{vault.password}}');
    const code = await send('step', { session_id: sessionId, type: 'multi_factor_fill', id: idOf(mfaPage, 'Code'), value: '{{vault.mfa}}' });
    expect(code.structured['success'], code.text).toBe(true);
    expect(code.text).toContain('6 characters');
    await send('step', { session_id: sessionId, type: 'click', id: idOf(mfaPage, 'Verify') });
    const welcome = await send('observe', { session_id: sessionId });
    expect(welcome.text).toContain(`Welcome, ${USERNAME}`);
    expect(welcome.text).toContain('Code {{vault.mfa}} accepted.');
  });

  it('fills by id too, and keeps the echoed password out of scrape and observe', async () => {
    await send('step', { session_id: sessionId, type: 'goto', url: pages.url('/login') });
    const login = await send('observe', { session_id: sessionId });
    await send('step', { session_id: sessionId, type: 'fill', id: idOf(login, 'Username'), value: '{{vault.username}}' });
    const pw = await send('step', { session_id: sessionId, type: 'fill', id: idOf(login, 'Password'), value: '{{vault.password}}' });
    expect(pw.structured['success'], pw.text).toBe(true);
    expect(JSON.stringify(pw.structured['action'])).not.toContain('Tr0ub');
    await send('step', { session_id: sessionId, type: 'click', id: idOf(login, 'Sign in') });
    const scraped = await send('scrape', { session_id: sessionId, only_main_content: false });
    expect(scraped.isError, scraped.text).toBe(false);
    expect(scraped.text).toContain('Password accepted: {{vault.password}}');
    const echoed = await send('observe', { session_id: sessionId });
    expect(echoed.text).toContain('{{vault.password}}');
  });

  it('takes Notte\'s own placeholders, and fills the card by its placeholders', async () => {
    expect(vaultCli(['add-card', vaultId, '--holder', 'Ada Lovelace', '--expiration', '12/30', '--url', pages.origin, '--vault-key-file', keyFile], `${CARD}\n${CVV}\n`).status).toBe(0);
    const carded = await startSession(server.client, { vault_id: vaultId, url: pages.url('/login') });
    const login = await send('observe', { session_id: carded });
    const notte = await send('step', { session_id: carded, type: 'fill', id: idOf(login, 'Password'), value: 'mycoolpassword' });
    expect(notte.structured['success'], notte.text).toBe(true);
    expect(notte.text).toContain(`with ${PASSWORD.length} characters`);
    await send('step', { session_id: carded, type: 'goto', url: pages.url('/pay') });
    const card = await send('step', { session_id: carded, type: 'form_fill', value: { cc_number: '{{vault.card_number}}', cc_cvv: '{{vault.card_cvv}}' } });
    expect(card.structured['success'], card.text).toBe(true);
    const pay = await send('observe', { session_id: carded });
    expect(pay.structured['vault']).toContainEqual({ url: pages.origin, placeholders: ['{{vault.card_holder_name}}', '{{vault.card_number}}', '{{vault.card_cvv}}', '{{vault.card_full_expiration}}'] });
    await send('step', { session_id: carded, type: 'click', id: idOf(pay, 'Pay') });
    expect((await send('scrape', { session_id: carded })).text).toContain('Charged card {{vault.card_number}} (cvc {{vault.card_cvv}}).');
    await send('session_stop', { session_id: carded });
  });

  it('refuses evaluate_js in a session with a vault', async () => {
    const script = await send('step', { session_id: sessionId, type: 'evaluate_js', code: 'window.lastPassword' });
    expect(script.isError).toBe(true);
    expect(script.text).toMatch(/^E_VAULT_REFUSED: evaluate_js is disabled in a session with a vault/);
  });

  it('refuses the credential on another origin, in the page or in an iframe, and types nothing', async () => {
    await send('step', { session_id: sessionId, type: 'goto', url: phishing.url('/login') });
    const fake = await send('observe', { session_id: sessionId });
    expect(fake.structured['vault']).toEqual([]);
    expect(fake.text).toContain('Vault: no credential applies on this page.');
    const byId = await send('step', { session_id: sessionId, type: 'fill', id: idOf(fake, 'Password'), value: '{{vault.password}}' });
    expect(byId.isError).toBe(true);
    expect(byId.text).toContain(`E_VAULT_REFUSED: Refused to fill: no credential in vault ${vaultId} applies on ${phishing.origin} (saved for: ${pages.origin}).`);
    expect(byId.text).toContain('observe lists the credentials');
    const byForm = await send('step', { session_id: sessionId, type: 'form_fill', value: { username: '{{vault.username}}', password: '{{vault.password}}' } });
    expect(byForm.isError).toBe(true);
    expect(byForm.text).toContain('E_VAULT_REFUSED');
    const after = await send('observe', { session_id: sessionId });
    const fields = (after.structured['space'] as { interaction_actions: { label?: string; value?: string }[] }).interaction_actions; // the observe output schema
    expect(fields.filter((field) => field.value !== undefined && field.value !== '')).toEqual([]);

    await send('step', { session_id: sessionId, type: 'goto', url: pages.url('/framed') });
    const framed = await send('observe', { session_id: sessionId });
    const inFrame = await send('step', { session_id: sessionId, type: 'fill', id: idOf(framed, 'Password'), value: '{{vault.password}}' });
    expect(inFrame.isError).toBe(true);
    expect(inFrame.text).toContain(`applies on ${phishing.origin}`);
  });

  it('refuses placeholders in a session without a vault', async () => {
    const plain = await startSession(server.client, { url: pages.url('/login') });
    const seen = await send('observe', { session_id: plain });
    expect(seen.structured).not.toHaveProperty('vault');
    const refused = await send('step', { session_id: plain, type: 'fill', id: idOf(seen, 'Password'), value: '{{vault.password}}' });
    expect(refused.text).toMatch(/^E_VAULT_REFUSED: This session has no vault/);
    await send('session_stop', { session_id: plain });
  });

  it('never let a secret out: not in one answer, not in the whole stderr', async () => {
    await send('session_stop', { session_id: sessionId });
    expect(codes.length).toBeGreaterThan(0);
    const secrets = [PASSWORD, encodeURIComponent(PASSWORD), encodeURIComponent(PASSWORD).replace(/%20/g, '+'), html(PASSWORD), JSON.stringify(PASSWORD).slice(1, -1), MFA_SECRET, CARD, CVV, EMAIL, ...codes];
    const stderr = server.stderr();
    expect(stderr).toContain('session started');
    for (const secret of secrets) {
      for (const answer of answers) expect(answer, 'a tool answer').not.toContain(secret);
      expect(stderr, 'the server stderr').not.toContain(secret);
    }
  });
});

/** An HTTP server that takes its vault key from the env var (the spawned server inherits this process's env). */
async function startHttpWithKey(key: string, extra: string[] = []): Promise<HttpServer> {
  const saved = process.env['BROWSER_SESSION_MCP_VAULT_KEY'];
  process.env['BROWSER_SESSION_MCP_VAULT_KEY'] = key;
  return startHttpServer(['--data-dir', dataDir, ...extra]).finally(() => {
    if (saved === undefined) delete process.env['BROWSER_SESSION_MCP_VAULT_KEY'];
    else process.env['BROWSER_SESSION_MCP_VAULT_KEY'] = saved;
  });
}

describe('over HTTP, with a client model asked through sampling', () => {
  it('logs in with placeholders and sends the model only redacted page text', async () => {
    const http = await startHttpWithKey(KEY);
    try {
      const prompts: string[] = [];
      const { client } = await http.connect({ clientOptions: { capabilities: { sampling: {} } } });
      client.setRequestHandler(CreateMessageRequestSchema, (request) => {
        const content = request.params.messages[0]?.content;
        prompts.push(content !== undefined && !Array.isArray(content) && content.type === 'text' ? content.text : '');
        return { model: 'test-model', role: 'assistant', content: { type: 'text', text: '{"message": "accepted"}' } };
      });
      const id = await startSession(client, { vault_id: vaultId, url: pages.url('/login') });
      const filled = await call(client, 'step', { session_id: id, type: 'form_fill', value: { username: '{{vault.username}}', password: '{{vault.password}}' } });
      expect(filled.structured['success'], filled.text).toBe(true);
      await call(client, 'step', { session_id: id, type: 'press_key', key: 'Enter' });
      const schema = { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] };
      const scraped = await call(client, 'scrape', { session_id: id, response_format: schema, instructions: 'the message', only_main_content: false });
      expect(scraped.isError, scraped.text).toBe(false);
      expect(prompts.length).toBe(1);
      expect(prompts[0]).toContain('Password accepted: {{vault.password}}');
      for (const secret of [PASSWORD, html(PASSWORD), encodeURIComponent(PASSWORD)]) {
        expect(prompts[0]).not.toContain(secret);
        expect(JSON.stringify(scraped.raw)).not.toContain(secret);
        expect(http.stderr()).not.toContain(secret);
      }
      await call(client, 'session_stop', { session_id: id });
    } finally {
      await http.stop();
    }
  });
});

describe('over the Notte REST API (--rest)', () => {
  it('fills Notte placeholders, refuses the wrong origin with 403, and redacts every body', async () => {
    const apiKey = 'rest-vault-key-0123456789';
    const http = await startHttpWithKey(KEY, ['--rest', '--rest-api-key', apiKey]);
    const bodies: string[] = [];
    const api = async (path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
      const response = await fetch(`${http.origin}${path}`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await response.text();
      bodies.push(text);
      return { status: response.status, body: JSON.parse(text) as Record<string, unknown> }; // the REST API answers JSON
    };
    try {
      const started = await api('/sessions/start', { vault_id: vaultId });
      expect(started.status, JSON.stringify(started.body)).toBe(200);
      const sid = String(started.body['session_id']);
      await api(`/sessions/${sid}/page/execute`, { type: 'goto', url: pages.url('/login') });
      const user = await api(`/sessions/${sid}/page/execute`, { type: 'fill', selector: 'css=input[name=username]', value: 'cooljohnny1567' });
      expect(user.body['success'], JSON.stringify(user.body)).toBe(true);
      await api(`/sessions/${sid}/page/execute`, { type: 'fill', selector: 'css=input[name=password]', value: 'mycoolpassword', press_enter: true });
      const scraped = await api(`/sessions/${sid}/page/scrape`, { only_main_content: false });
      expect(JSON.stringify(scraped.body)).toContain('Password accepted: {{vault.password}}');
      await api(`/sessions/${sid}/page/execute`, { type: 'goto', url: phishing.url('/login') });
      const refused = await api(`/sessions/${sid}/page/execute`, { type: 'fill', selector: 'css=input[name=password]', value: 'mycoolpassword' });
      expect(refused.status).toBe(403);
      expect(refused.body['code']).toBe('E_VAULT_REFUSED');
      await fetch(`${http.origin}/sessions/${sid}/stop`, { method: 'DELETE', headers: { authorization: `Bearer ${apiKey}` } });
      for (const secret of [PASSWORD, html(PASSWORD), encodeURIComponent(PASSWORD), JSON.stringify(PASSWORD).slice(1, -1)]) {
        for (const body of bodies) expect(body).not.toContain(secret);
        expect(http.stderr()).not.toContain(secret);
      }
    } finally {
      await http.stop();
    }
  });
});

describe('a vault that cannot be opened', () => {
  it('answers a tampered file, an unknown id and a missing key with clear errors, and keeps serving', async () => {
    const created = vaultCli(['create', '--name', 'tamper', '--vault-key-file', keyFile]);
    const tamperedId = created.stdout;
    const path = join(dataDir, 'vaults', `${tamperedId}.vault.json`);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { data: string }; // the vault file format
    const bytes = Buffer.from(file.data, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    writeFileSync(path, JSON.stringify({ ...file, data: bytes.toString('base64') }));
    const tampered = await send('session_start', { vault_id: tamperedId });
    expect(tampered.isError).toBe(true);
    expect(tampered.text).toBe(`E_VAULT_UNREADABLE: Vault ${tamperedId} cannot be opened: wrong key, or the file was modified. Check BROWSER_SESSION_MCP_VAULT_KEY / --vault-key-file is the key the vault was made with; a file changed by hand cannot be opened again.`);
    writeFileSync(path, 'not json at all');
    expect((await send('session_start', { vault_id: tamperedId })).text).toContain('the file is not a vault file (not JSON)');
    const unknown = await send('session_start', { vault_id: '../../etc/passwd' });
    expect(unknown.text).toMatch(/^E_VAULT_NOT_FOUND: No vault "..\/..\/etc\/passwd" on this server\. .*vault list/);
    const still = await send('session_list', {});
    expect(still.isError).toBe(false);

    const noKey = await startStdio(['--data-dir', dataDir]);
    try {
      const refused = await call(noKey.client, 'session_start', { vault_id: vaultId });
      expect(refused.text).toMatch(/^E_VAULT_KEY: No vault key is configured, so vaults cannot be opened\. Set BROWSER_SESSION_MCP_VAULT_KEY/);
      expect(chromiumProcesses(noKey.tag)).toEqual([]);
    } finally {
      await noKey.close();
      await noKey.exited;
    }
  });

  it('answers a wrong key (from the env var, over HTTP) with E_VAULT_UNREADABLE', async () => {
    const http = await startHttpWithKey(OTHER_KEY);
    try {
      const { client } = await http.connect();
      const wrong = await call(client, 'session_start', { vault_id: vaultId });
      expect(wrong.isError).toBe(true);
      expect(wrong.text).toContain(`E_VAULT_UNREADABLE: Vault ${vaultId} cannot be opened: wrong key, or the file was modified.`);
      expect((await call(client, 'session_list', {})).isError).toBe(false);
      expect(http.stderr()).not.toContain(OTHER_KEY);
    } finally {
      await http.stop();
    }
  });
});
