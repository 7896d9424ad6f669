import { describe, expect, it } from 'vitest';
import { call, chromiumProcesses, startSession, startStdio, waitFor } from './harness.js';

describe('ending the stdio server', () => {
  it('stdin EOF stops every session, closes every browser and exits within 5 s', async () => {
    const server = await startStdio();
    await startSession(server.client);
    await startSession(server.client, { chrome_args: ['--disable-gpu'] }); // a browser of its own too
    expect(chromiumProcesses(server.tag).length).toBeGreaterThan(0);
    const t0 = Date.now();
    await server.close(); // closes our end of the pipe: EOF for the server
    await server.exited;
    expect(Date.now() - t0).toBeLessThan(5_000);
    await waitFor('no Chromium left', () => chromiumProcesses(server.tag).length, (n) => n === 0, 3_000);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} stops every session, closes every browser and exits within 5 s`, async () => {
      const server = await startStdio();
      await startSession(server.client);
      expect(chromiumProcesses(server.tag).length).toBeGreaterThan(0);
      const t0 = Date.now();
      process.kill(server.pid, signal);
      await server.exited;
      expect(Date.now() - t0).toBeLessThan(5_000);
      await waitFor('no Chromium left', () => chromiumProcesses(server.tag).length, (n) => n === 0, 3_000);
      await server.close().catch(() => undefined);
    });
  }
});

describe('a browser crash', () => {
  it('marks its sessions error with the reason; the server stays up and the next start launches a fresh browser', async () => {
    const server = await startStdio();
    try {
      const id = await startSession(server.client);
      const browserPids = chromiumProcesses(server.tag);
      expect(browserPids.length).toBeGreaterThan(0);
      for (const pid of browserPids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // a child may already be gone with its parent
        }
      }
      const status = await waitFor('the session to turn error', () => call(server.client, 'session_status', { session_id: id }), (r) => r.structured['status'] !== 'active');
      expect(status.structured).toMatchObject({ status: 'error', close_reason: 'error' });
      expect(String(status.structured['error'])).toMatch(/browser process exited unexpectedly|page crashed/);
      const dead = await call(server.client, 'session_stop', { session_id: id });
      expect(dead.structured['status']).toBe('error');

      const fresh = await call(server.client, 'session_start');
      expect(fresh.isError, fresh.text).toBe(false);
      expect(fresh.structured['status']).toBe('active');
      await call(server.client, 'session_stop', { session_id: fresh.structured['session_id'] });
    } finally {
      await server.close();
      await server.exited;
    }
    await waitFor('no Chromium left', () => chromiumProcesses(server.tag).length, (n) => n === 0, 3_000);
  });
});
