import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCases, runCases } from '../fuzz/schemaFuzz.js';
import type { AdvertisedTool, FuzzCase } from '../fuzz/schemaFuzz.js';
import { call, startSession, startStdio } from './harness.js';
import type { StdioServer } from './harness.js';

let server: StdioServer;

beforeAll(async () => {
  server = await startStdio(['--caps', 'all']);
});

afterAll(async () => {
  await server.close();
  await server.exited;
});

/** Calls that would be valid but for the mutation: a live session on a blank tab, and cheap actions only. */
function baseArgs(sessionId: string): (tool: string) => Record<string, unknown> {
  return (tool) => {
    if (tool === 'session_start' || tool === 'session_list') return {};
    if (tool === 'session_stop') return { session_id: randomUUID() }; // never the live session
    if (tool === 'step') return { session_id: sessionId, type: 'scroll_down', amount: 100 };
    if (tool === 'profile_list') return {};
    if (tool === 'profile_delete') return { profile_id: 'fuzz-no-such-profile' };
    if (tool === 'session_cookies_set') return { session_id: sessionId, cookies: [] };
    if (tool === 'storage_read') return { session_id: sessionId, file_name: 'downloads/none.txt' };
    if (tool === 'storage_write') return { session_id: sessionId, file_name: 'fuzz.txt', content: '' };
    return { session_id: sessionId };
  };
}

describe('schema fuzzer', () => {
  it('survives 2,000 malformed calls derived from the advertised schemas: no crash, no hang, every error names its field', async () => {
    const sessionId = await startSession(server.client);
    const { tools } = await server.client.listTools();
    const advertised: AdvertisedTool[] = tools.map((tool) => ({ name: tool.name, inputSchema: tool.inputSchema as AdvertisedTool['inputSchema'] })); // the SDK types inputSchema loosely; it is a JSON Schema object
    const seed = Number(process.env['BSM_FUZZ_SEED'] ?? 20261202);
    const cases = buildCases(advertised, baseArgs(sessionId), 2_000, seed);
    expect(cases.length).toBeGreaterThanOrEqual(2_000);

    const report = await runCases(server.client, cases, {
      concurrency: 4,
      timeoutMs: 30_000,
      afterAccepted: async (fuzzCase, result) => {
        const started = (result.structuredContent ?? {})['session_id'];
        if (fuzzCase.tool === 'session_start' && typeof started === 'string') await call(server.client, 'session_stop', { session_id: started });
      },
    });
    console.log(`fuzz seed ${seed}: ${report.calls} calls, ${report.errors} errors, ${report.accepted} accepted, p95 ${Math.round(report.p95Ms)} ms, max ${Math.round(report.maxMs)} ms`);
    expect(report.calls).toBeGreaterThanOrEqual(2_000);
    const line = (entry: { case: FuzzCase; text: string }): string => `${entry.case.tool} ${entry.case.kind} [${entry.case.fields.join(',').slice(0, 40)}]: ${entry.text.slice(0, 240)}`;
    expect.soft(report.crashes.map(line)).toEqual([]);
    expect.soft(report.hangs.map((fuzzCase) => `${fuzzCase.tool} ${fuzzCase.kind} [${fuzzCase.fields.join(',').slice(0, 40)}]`)).toEqual([]);
    expect(report.unnamed.map(line)).toEqual([]);

    // Still serving, and the session it fuzzed against still works.
    await server.client.ping();
    const status = await call(server.client, 'session_status', { session_id: sessionId });
    expect(status.structured['status']).toBe('active');
    const observed = await call(server.client, 'observe', { session_id: sessionId });
    expect(observed.isError, observed.text).toBe(false);
    expect(server.stderr()).not.toMatch(/uncaught exception|unhandled rejection/);
  }, 300_000);
});
