import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, chromiumProcesses, startHttpServer, startSession, waitFor } from './harness.js';
import type { HttpServer } from './harness.js';

const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };

/** A raw POST, so tests can send the headers a browser page or an attacker would. */
function rawPost(url: string, headers: Record<string, string>, body: unknown = INIT): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('Streamable HTTP', () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startHttpServer(['--max-sessions', '3']);
  });
  afterAll(async () => {
    await server.stop();
    await waitFor('no Chromium left', () => chromiumProcesses(server.tag).length, (n) => n === 0, 5_000);
  });

  it('serves /healthz', async () => {
    const response = await fetch(`${server.origin}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('keeps each conversation to its own sessions', async () => {
    const alice = await server.connect();
    const bob = await server.connect();
    const id = await startSession(alice.client);
    for (const tool of ['session_status', 'session_stop']) {
      const foreign = await call(bob.client, tool, { session_id: id });
      const unknown = await call(bob.client, tool, { session_id: '00000000-0000-4000-8000-000000000000' });
      expect(foreign.isError).toBe(true);
      expect(foreign.text).toBe(unknown.text.replace('00000000-0000-4000-8000-000000000000', id)); // indistinguishable from an unknown id
    }
    const bobsList = await call(bob.client, 'session_list', { only_active: false });
    expect(bobsList.structured['items']).toEqual([]);
    const alicesView = await call(alice.client, 'session_status', { session_id: id });
    expect(alicesView.structured['status']).toBe('active'); // bob's stop did not touch it
    await call(alice.client, 'session_stop', { session_id: id });
  });

  it('enforces the server-wide session limit across conversations', async () => {
    const a = await server.connect();
    const b = await server.connect();
    const ids = [await startSession(a.client), await startSession(a.client), await startSession(b.client)];
    const over = await call(b.client, 'session_start');
    expect(over.isError).toBe(true);
    expect(over.text).toMatch(/E_SESSION_LIMIT.*limit of 3/);
    await call(a.client, 'session_stop', { session_id: ids[0] });
    await call(a.client, 'session_stop', { session_id: ids[1] });
    await call(b.client, 'session_stop', { session_id: ids[2] });
  });

  it('HTTP DELETE ends the conversation: its sessions stop, others go on, and no Chromium is left', async () => {
    const keeper = await server.connect();
    const leaver = await server.connect();
    const kept = await startSession(keeper.client);
    await startSession(leaver.client);
    await leaver.transport.terminateSession(); // the DELETE
    const after = await call(leaver.client, 'session_list').catch((error: unknown) => error);
    expect(after).toBeInstanceOf(Error); // the leaver's MCP session is gone
    const still = await call(keeper.client, 'session_status', { session_id: kept });
    expect(still.structured['status']).toBe('active'); // no one else's sessions were touched
    expect((await call(keeper.client, 'observe', { session_id: kept })).isError).toBe(false);
    // When the last conversation using the shared browser ends, the browser goes with it.
    await keeper.transport.terminateSession();
    await waitFor('no Chromium left', () => chromiumProcesses(server.tag).length, (n) => n === 0, 5_000);
    const health = await fetch(`${server.origin}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', active_sessions: 0 });
  });

  it('refuses a foreign Host header (DNS rebinding) with 403', async () => {
    const response = await rawPost(server.url, { host: 'evil.example:80' });
    expect(response.status).toBe(403);
    expect(response.body).toContain('Host');
  });

  it('refuses a foreign Origin with 403 and accepts a local one', async () => {
    const foreign = await rawPost(server.url, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toContain('Origin');
    const local = await rawPost(server.url, { origin: server.origin });
    expect(local.status).toBe(200);
  });
});

describe('HTTP with a bearer token', () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startHttpServer(['--auth-token', 's3cret-token']);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers 401 without the token and with a wrong one, and serves with the right one', async () => {
    expect((await rawPost(server.url, {})).status).toBe(401);
    expect((await rawPost(server.url, { authorization: 'Bearer wrong-token!' })).status).toBe(401);
    const { client } = await server.connect({ token: 's3cret-token' });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('session_start');
  });
});

describe('HTTP client timeout', () => {
  it('closes a silent conversation, stops its sessions and leaves no Chromium', async () => {
    const server = await startHttpServer(['--client-timeout', '2']);
    try {
      const { client } = await server.connect();
      const id = await startSession(client);
      expect(chromiumProcesses(server.tag).length).toBeGreaterThan(0);
      await waitFor('the silent conversation to be closed', () => chromiumProcesses(server.tag).length, (n) => n === 0, 10_000);
      const after = await call(client, 'session_status', { session_id: id }).catch((error: unknown) => error);
      expect(after).toBeInstanceOf(Error); // the MCP session is gone: 404 from the server
      expect(server.stderr()).toContain('client timeout');
    } finally {
      await server.stop();
    }
  });
});
