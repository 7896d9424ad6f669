import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import { call, chromiumProcesses, serverArgs, startHttpServer, startSession, startStdio, waitFor } from './harness.js';

let pages: PageServer;

beforeAll(async () => {
  pages = await PageServer.start();
});

afterAll(async () => {
  await pages.close();
});

/** The server over raw stdio, without the SDK client: the test decides exactly when stdin closes. */
class RawStdio {
  readonly tag = randomUUID();
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  #buffer = '';
  readonly #waiting = new Map<number, (message: Record<string, unknown>) => void>();
  #next = 1;

  constructor(extra: string[] = []) {
    this.child = spawn(process.execPath, serverArgs(this.tag, extra), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.stderr.resume();
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.#buffer += chunk.toString('utf8');
      for (let newline = this.#buffer.indexOf('\n'); newline !== -1; newline = this.#buffer.indexOf('\n')) {
        const line = this.#buffer.slice(0, newline);
        this.#buffer = this.#buffer.slice(newline + 1);
        const message = JSON.parse(line) as Record<string, unknown>; // the server writes one JSON-RPC message per line
        const id = message['id'];
        if (typeof id === 'number') this.#waiting.get(id)?.(message);
      }
    });
  }

  /** Sends a request (built as the SDK does: id last) and resolves with its answer. */
  request(method: string, params: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<Record<string, unknown>> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${method} #${id} in ${timeoutMs} ms`)), timeoutMs);
      this.#waiting.set(id, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
      this.child.stdin.write(`${JSON.stringify({ method, params, jsonrpc: '2.0', id })}\n`);
    });
  }

  notify(method: string): void {
    this.child.stdin.write(`${JSON.stringify({ method, jsonrpc: '2.0' })}\n`);
  }

  async initialize(): Promise<void> {
    await this.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } });
    this.notify('notifications/initialized');
  }
}

describe('oversized stdio input', () => {
  it('rejects an 11 MiB call for its id, keeps answering ping, and ends with its browsers on stdin EOF', async () => {
    const raw = new RawStdio();
    try {
      await raw.initialize();
      const started = await raw.request('tools/call', { name: 'session_start', arguments: { url: pages.setContent('/a', '<h1>A</h1>') } });
      expect(JSON.stringify(started)).toContain('session_id');
      expect(chromiumProcesses(raw.tag).length).toBeGreaterThan(0);

      // The ping goes out right behind the huge line, while the server is still reading and refusing it. The 30 s
      // bound is the stall the issue saw (the server deaf for over 30 s), not a speed target.
      const [huge, pong] = await Promise.all([
        raw.request('tools/call', { name: 'session_status', arguments: { session_id: 'x'.repeat(11 * 1024 * 1024) } }, 30_000),
        raw.request('ping', {}, 30_000),
      ]);
      expect(huge['error']).toMatchObject({ code: -32600, message: expect.stringMatching(/^Request too large: 1153\d{4} bytes, over the server's limit of 4194304 bytes \(--max-request-bytes\)/) });
      expect(pong).toEqual({ jsonrpc: '2.0', id: expect.any(Number), result: {} });
      const listed = await raw.request('tools/call', { name: 'session_list', arguments: {} });
      expect(JSON.stringify(listed)).toContain('"status":"active"');

      raw.child.stdin.end();
      const code = await Promise.race([raw.exited, new Promise<'alive'>((resolve) => setTimeout(() => resolve('alive'), 15_000))]);
      expect(code).not.toBe('alive');
      await waitFor('its Chromium processes to be gone', () => chromiumProcesses(raw.tag).length, (n) => n === 0, 10_000);
    } finally {
      if (raw.child.exitCode === null) raw.child.kill('SIGKILL');
    }
  });

  it('answers a line that is not JSON with a parse error and goes on', async () => {
    const raw = new RawStdio();
    try {
      await raw.initialize();
      raw.child.stdin.write('{"this is": not json\n');
      expect(await raw.request('ping')).toMatchObject({ result: {} });
    } finally {
      raw.child.stdin.end();
      await raw.exited;
    }
  });
});

describe('oversized HTTP bodies', () => {
  it('answers 413 with a JSON-RPC error and keeps the conversation', async () => {
    const http = await startHttpServer(['--max-request-bytes', '1048576']);
    try {
      const { client, transport } = await http.connect();
      const sessionId = transport.sessionId ?? '';
      const post = (body: string): Promise<Response> =>
        fetch(http.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' },
          body,
        });
      const big = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'session_status', arguments: { session_id: 'y'.repeat(2 * 1024 * 1024) } } });
      const refused = await post(big);
      expect(refused.status).toBe(413);
      expect(await refused.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32600, message: expect.stringMatching(/^Request body too large: \d+ bytes, over the server's limit of 1048576 bytes \(--max-request-bytes\)/) } });
      const huge = await post('z'.repeat(12 * 1024 * 1024)).catch((error: unknown) => error);
      if (huge instanceof Response) expect(huge.status).toBe(413); // or the connection was cut after the 413, which fetch may report as an error
      const list = await call(client, 'session_list', {});
      expect(list.isError, list.text).toBe(false);
    } finally {
      await http.stop();
    }
  });
});

describe('results stay small', () => {
  it('keeps session_status small after four huge evaluate_js steps', async () => {
    const server = await startStdio();
    try {
      const tools = await server.client.listTools();
      const step = tools.tools.find((tool) => tool.name === 'step');
      const codeSchema = (step?.inputSchema.properties?.['code'] ?? {}) as { maxLength?: number };
      const length = Math.min(3 * 1024 * 1024, codeSchema.maxLength ?? Infinity);
      const id = await startSession(server.client, { url: pages.setContent('/b', '<h1>B</h1>') });
      for (let i = 0; i < 4; i += 1) {
        const code = `${JSON.stringify('s'.repeat(length - 20))}.length + ${i}`;
        const result = await call(server.client, 'step', { session_id: id, type: 'evaluate_js', code: code.slice(0, length) });
        expect(result.structured['success'], result.text).toBe(true);
      }
      const status = await call(server.client, 'session_status', { session_id: id });
      expect(status.isError, status.text).toBe(false);
      const size = JSON.stringify(status.raw).length;
      expect(size).toBeLessThan(20_000);
      const steps = status.structured['steps'] as { value: { action: { code: string } } }[];
      expect(steps.filter((entry) => entry.value.action?.code !== undefined)).toHaveLength(4);
      expect(steps.at(-1)?.value.action.code).toMatch(/… \(\d+ more characters\)$/);
    } finally {
      await server.close();
      await server.exited;
    }
  });
});
