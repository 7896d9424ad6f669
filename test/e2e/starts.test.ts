import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../fixtures/chromium.js';
import { PageServer } from '../fixtures/pageServer.js';
import { call, chromiumProcesses, renderers, startHttpServer, startSession, startStdio, waitFor } from './harness.js';

let pages: PageServer;
let calm: string;

beforeAll(async () => {
  pages = await PageServer.start();
  calm = pages.setContent('/calm', '<h1>Calm page</h1><button>Press me</button>');
});

afterAll(async () => {
  await pages.close();
});


describe('session starts', () => {
  it('a start that fails inside the browser releases what it took: no browser is left once the conversation ends', async () => {
    const server = await startHttpServer();
    try {
      const { client, transport } = await server.connect();
      // Chromium itself refuses this user agent (the schema may refuse it first; either way nothing may leak).
      const failed = await call(client, 'session_start', { user_agent: 'bad\nagent' });
      expect(failed.isError).toBe(true);
      expect(failed.text).not.toMatch(/E_INTERNAL/);
      expect(failed.text).toMatch(/user_agent|userAgent/);
      // The browser still serves a good start, and the good session works.
      const id = await startSession(client);
      expect((await call(client, 'step', { session_id: id, type: 'goto', url: calm })).structured['success']).toBe(true);
      await transport.terminateSession();
      await client.close();
      await waitFor('every browser of the server to exit', () => chromiumProcesses(server.tag).length, (n) => n === 0, 20_000);
    } finally {
      await server.stop();
    }
  });

  it('a dead spare context is discarded: after every renderer was killed the next session works', async () => {
    const server = await startStdio();
    try {
      const first = await startSession(server.client);
      expect((await call(server.client, 'step', { session_id: first, type: 'goto', url: calm })).structured['success']).toBe(true);
      // The first session's tab and the spare's tab.
      await waitFor('the spare context’s renderer', () => renderers(server.tag).length, (n) => n >= 2, 20_000);
      for (const pid of renderers(server.tag)) process.kill(pid, 'SIGKILL');
      await waitFor('the first session to see its crash', async () => (await call(server.client, 'session_status', { session_id: first })).structured['status'], (s) => s === 'error', 15_000);
      const second = await startSession(server.client);
      const went = await call(server.client, 'step', { session_id: second, type: 'goto', url: calm });
      expect(went.structured['success'], went.text).toBe(true);
      const seen = await call(server.client, 'observe', { session_id: second });
      expect(seen.text).toContain('Press me');
      expect((await call(server.client, 'session_status', { session_id: second })).structured['status']).toBe('active');
    } finally {
      await server.close();
      await server.exited;
    }
  });

  it('a start that cannot get a browser within --start-timeout fails with E_START_TIMEOUT, and the late browser is released', async () => {
    // A browser that takes 8 s to come up, as on a machine far busier than this one.
    const dir = mkdtempSync(join(tmpdir(), 'bsm-slow-chromium-'));
    const slow = join(dir, 'chromium');
    writeFileSync(slow, `#!/bin/sh\nsleep 8\nexec "${chromiumPath()}" "$@"\n`);
    chmodSync(slow, 0o755);
    const server = await startStdio(['--executable-path', slow, '--start-timeout', '2']);
    try {
      const started = Date.now();
      const result = await call(server.client, 'session_start', {});
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/^E_START_TIMEOUT: session_start did not get a browser within 2s/);
      expect(result.text).toContain('--start-timeout');
      expect(Date.now() - started).toBeLessThan(8_000);
      expect((await call(server.client, 'session_list', {})).structured['items']).toEqual([]);
    } finally {
      await server.close();
      await server.exited;
    }
    await waitFor('the late browser to exit', () => chromiumProcesses(server.tag).length, (n) => n === 0, 20_000);
  });
});
