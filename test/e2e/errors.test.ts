import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import { call, chromiumProcesses, startSession, startStdio, waitFor } from './harness.js';
import type { StdioServer } from './harness.js';

/** An error an agent reads is one short line: the code, what happened (a short excerpt of a bad value at most), the fix. */
const MAX_ERROR_CHARS = 600;

let pages: PageServer;
let server: StdioServer;
let session: string;

beforeAll(async () => {
  pages = await PageServer.start();
  pages.setContent('/page', '<h1>Errors</h1><p id="p">Some text.</p>');
  server = await startStdio(['--max-sessions-per-client', '2']);
  session = await startSession(server.client, { url: pages.url('/page') });
});

afterAll(async () => {
  await server?.close();
  await pages?.close();
  await waitFor('no Chromium left', () => chromiumProcesses(server.tag).length, (n) => n === 0, 15_000);
});

async function failure(tool: string, args: Record<string, unknown>): Promise<string> {
  const result = await call(server.client, tool, args);
  expect(result.isError, `${tool} ${JSON.stringify(args).slice(0, 200)} should fail; it answered ${result.text.slice(0, 200)}`).toBe(true);
  expect(result.text.length).toBeLessThan(MAX_ERROR_CHARS);
  expect(result.text).not.toMatch(/^E_INTERNAL/);
  return result.text;
}

describe('E_INVALID_INPUT: our words, naming the tool, the field and the fix', () => {
  it('a step without the field its action needs names the action and the field', async () => {
    const text = await failure('step', { session_id: session, type: 'fill', id: 'I1' });
    expect(text).toMatch(/^E_INVALID_INPUT: step type "fill": value is required/);
    expect(text).toMatch(/fill takes .*value/);
  });

  it('a field the action does not take is named, with the fields it does take', async () => {
    const text = await failure('step', { session_id: session, type: 'click', id: 'B1', url: 'https://example.com' });
    expect(text).toMatch(/^E_INVALID_INPUT: step type "click": unknown field "url"/);
    expect(text).toContain('click takes id, selector');
  });

  it('an unknown argument, a wrong type and an out-of-range number each name their field', async () => {
    expect(await failure('observe', { session_id: session, colour: 'red' })).toMatch(/^E_INVALID_INPUT: observe: unknown field "colour"/);
    expect(await failure('step', { session_id: session, type: 'wait', time_ms: 'soon' })).toMatch(/^E_INVALID_INPUT: step: time_ms must be a number, got a string "soon"/);
    expect(await failure('session_start', { idle_timeout_minutes: 99 })).toMatch(/^E_INVALID_INPUT: session_start: idle_timeout_minutes .*15/);
    expect(await failure('step', { session_id: session, type: 'teleport' })).toMatch(/^E_INVALID_INPUT: step: type must be one of "click", .*got a string "teleport"/);
    expect(await failure('session_status', {})).toMatch(/^E_INVALID_INPUT: session_status: session_id is required/);
  });

  it('1–5 MB bad values come back as a short error, and the server keeps answering', async () => {
    // Under --max-request-bytes (4 MiB): the schema answers, naming the field, with a short excerpt.
    const huge = 'x'.repeat(3.5 * 1024 * 1024);
    const id = await failure('observe', { session_id: huge });
    expect(id).toMatch(/^E_INVALID_INPUT: observe: session_id is too long \(3670016 characters, at most 64\)/);
    expect(await failure('observe', { session_id: session, cursor: huge })).toMatch(/cursor is too long/);
    expect(await failure('scrape', { session_id: session, selector: huge })).toMatch(/selector is too long/);
    expect(await failure('step', { session_id: session, type: 'fill', id: 'I1', value: 'v'.repeat(2 * 1024 * 1024) })).toMatch(/value (is too long|matches none)/);
    expect(await failure('step', { session_id: session, type: huge })).toMatch(/type must be one of .*"xxxxx[x]*…"/);
    expect(await failure('observe', { session_id: session, [huge.slice(0, 1024 * 1024)]: 1 })).toMatch(/unknown field "x{40}…"/);
    // Over it: the request itself is refused, in a line, and the server goes on.
    const tooLarge = await server.client.callTool({ name: 'observe', arguments: { session_id: 'x'.repeat(5 * 1024 * 1024) } }).then(
      () => 'answered',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    expect(tooLarge).toMatch(/Request too large: \d+ bytes, over the server's limit of 4194304 bytes \(--max-request-bytes\)/);
    expect(tooLarge.length).toBeLessThan(300);
    await server.client.ping();
  });
});

describe('a code per failure a user or a page can cause', () => {
  it('E_SESSION_NOT_FOUND for an id that is not ours', async () => {
    expect(await failure('observe', { session_id: randomUUID() })).toMatch(/^E_SESSION_NOT_FOUND: .*session_list/);
    expect(await failure('step', { session_id: 'not-a-uuid', type: 'reload' })).toMatch(/^E_SESSION_NOT_FOUND: No session "not-a-uuid"/);
  });

  it('E_SELECTOR_NOT_FOUND when a scrape selector matches nothing, with a hint that agrees', async () => {
    const text = await failure('scrape', { session_id: session, selector: '#nothing-here' });
    expect(text).toMatch(/^E_SELECTOR_NOT_FOUND: No element matches selector "#nothing-here" .*observe.*scrape without selector/);
  });

  it('E_BAD_CURSOR for a cursor observe or scrape never gave', async () => {
    expect(await failure('scrape', { session_id: session, cursor: '%%%' })).toMatch(/^E_BAD_CURSOR: .*without cursor/);
    expect(await failure('observe', { session_id: session, cursor: '7.99' })).toMatch(/^E_BAD_CURSOR: .*without cursor/);
  });

  it('E_NAVIGATION_FAILED when a URL to read cannot be opened', async () => {
    expect(await failure('observe', { session_id: session, url: 'http://127.0.0.1:1/' })).toMatch(/^E_NAVIGATION_FAILED: Could not open http:\/\/127\.0\.0\.1:1\//);
  });

  it('E_URL_REFUSED for a local scheme', async () => {
    expect(await failure('scrape', { session_id: session, url: 'file:///etc/passwd' })).toMatch(/^E_URL_REFUSED: .*file:/);
  });

  it('E_NOT_SUPPORTED for an API field this backend cannot honour', async () => {
    expect(await failure('session_start', { solve_captchas: true })).toMatch(/^E_NOT_SUPPORTED: solve_captchas/);
  });

  it('E_SESSION_LIMIT past the per-conversation limit, then E_SESSION_NOT_ACTIVE on a stopped session', async () => {
    const second = await startSession(server.client);
    expect(await failure('session_start', {})).toMatch(/^E_SESSION_LIMIT: .*session_stop/);
    await call(server.client, 'session_stop', { session_id: second });
    expect(await failure('observe', { session_id: second })).toMatch(/^E_SESSION_NOT_ACTIVE: .*session_start/);
  });
});
