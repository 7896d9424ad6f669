import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startSession, startStdio } from './harness.js';
import type { StdioServer } from './harness.js';

let server: StdioServer;

beforeAll(async () => {
  server = await startStdio();
});

afterAll(async () => {
  await server.close();
  await server.exited;
});

interface Interval { start: number; end: number }

/** A wait timed inside the page (the MCP step answer carries no timestamps): when it began and ended, in ms. */
async function timedWait(sessionId: string, ms: number): Promise<Interval> {
  const code = `new Promise((done) => { const start = Date.now(); setTimeout(() => done(JSON.stringify({ start, end: Date.now() })), ${ms}); })`;
  const result = await call(server.client, 'step', { session_id: sessionId, type: 'evaluate_js', code });
  expect(result.structured['success'], result.text).toBe(true);
  const data = result.structured['data'] as { markdown: string }; // the step output schema's DataSpace
  return JSON.parse(data.markdown) as Interval; // written by the page script above
}

describe('operation order', () => {
  it('runs the operations of one session one at a time, in call order', async () => {
    const id = await startSession(server.client);
    const [first, second, third] = await Promise.all([timedWait(id, 400), timedWait(id, 10), timedWait(id, 10)]);
    expect(second?.start).toBeGreaterThanOrEqual(first?.end ?? Infinity);
    expect(third?.start).toBeGreaterThanOrEqual(second?.end ?? Infinity);
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('runs operations of different sessions side by side', async () => {
    const [a, b] = [await startSession(server.client), await startSession(server.client)];
    const [onA, onB] = await Promise.all([timedWait(a, 600), timedWait(b, 600)]);
    // The two waits overlap in time: neither waited for the other to finish.
    expect(onB?.start).toBeLessThan(onA?.end ?? -Infinity);
    expect(onA?.start).toBeLessThan(onB?.end ?? -Infinity);
    await Promise.all([a, b].map((id) => call(server.client, 'session_stop', { session_id: id })));
  });
});
