import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startSession, startStdio, waitFor } from './harness.js';
import type { StdioServer } from './harness.js';

// One "minute" lasts 500 ms here (the test-only --minute-ms knob), so limits play out in seconds.
let server: StdioServer;

beforeAll(async () => {
  server = await startStdio(['--minute-ms', '500']);
});

afterAll(async () => {
  await server.close();
  await server.exited;
});

describe('session limits in time', () => {
  it('times out an idle session and says why', async () => {
    const id = await startSession(server.client, { idle_timeout_minutes: 2, max_duration_minutes: 15 });
    expect((await call(server.client, 'session_status', { session_id: id })).structured['status']).toBe('active');
    const status = await waitFor('idle timeout', () => call(server.client, 'session_status', { session_id: id }), (r) => r.structured['status'] !== 'active', 8_000);
    expect(status.structured).toMatchObject({ status: 'timed_out', close_reason: 'idle_timeout' });
    expect(String(status.structured['error'])).toContain('idle');
    expect(status.structured['closed_at']).not.toBeNull();
  });

  it('keeps a busy session alive past its idle timeout, and ends it at max_duration_minutes', async () => {
    // idle 2 "minutes" = 1 s; an observe every 200 ms keeps it from idling even on a loaded machine; max 8 "minutes"
    // = 4 s ends it anyway.
    const id = await startSession(server.client, { idle_timeout_minutes: 2, max_duration_minutes: 8 });
    const started = Date.now();
    let last = await call(server.client, 'observe', { session_id: id });
    while (!last.isError && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      last = await call(server.client, 'observe', { session_id: id });
    }
    expect(Date.now() - started).toBeGreaterThan(3_000); // it outlived three idle timeouts
    expect(last.text).toMatch(/E_SESSION_NOT_ACTIVE.*timed_out.*max_duration_minutes=8.*session_start/);
    const status = await call(server.client, 'session_status', { session_id: id });
    expect(status.structured).toMatchObject({ status: 'timed_out', close_reason: 'max_duration' });
    const stop = await call(server.client, 'session_stop', { session_id: id });
    expect(stop.structured['status']).toBe('timed_out'); // terminal: a stop does not turn it into closed
  });
});
