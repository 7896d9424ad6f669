import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import { call, startSession, startStdio } from './harness.js';
import type { StdioServer, ToolCall } from './harness.js';

// Short call limits, so each hostile page shows its bound in seconds. The slack covers diagnosing and replacing
// the tab on a loaded machine; without the bounds these calls hang for a minute or more.
const OBSERVE_S = 6;
const STEP_S = 10;
const SCRAPE_S = 8;
const SLACK_MS = 20_000;

let pages: PageServer;
let server: StdioServer;
let calm: string;

beforeAll(async () => {
  pages = await PageServer.start();
  calm = pages.setContent('/calm', '<h1>Calm page</h1><button>Press me</button>');
  server = await startStdio(['--observe-timeout', String(OBSERVE_S), '--step-timeout', String(STEP_S), '--scrape-timeout', String(SCRAPE_S)]);
});

afterAll(async () => {
  await server.close();
  await server.exited;
  await pages.close();
});

async function timed(name: string, args: Record<string, unknown>): Promise<{ result: ToolCall; ms: number }> {
  const started = Date.now();
  const result = await call(server.client, name, args);
  return { result, ms: Date.now() - started };
}

/** After a hostile page the same session works again: a goto and an observe of a calm page. */
async function expectRecovered(id: string): Promise<void> {
  const went = await call(server.client, 'step', { session_id: id, type: 'goto', url: calm });
  expect(went.structured['success'], went.text).toBe(true);
  const seen = await call(server.client, 'observe', { session_id: id });
  expect(seen.isError, seen.text).toBe(false);
  expect(seen.text).toContain('Press me');
}

describe('calls on hostile pages are bounded and the session recovers', () => {
  it('an endless loop after load: the next call answers within its limit, names the busy script, and replaces the tab', async () => {
    const id = await startSession(server.client);
    const url = pages.setContent('/loop-after', '<h1>Loops soon</h1><script>setTimeout(() => { for (;;) {} }, 1500)</script>');
    // Whichever call meets the loop first (the goto on a slow machine, else an observe) must answer in bounds.
    const began = Date.now();
    let hit = await timed('step', { session_id: id, type: 'goto', url });
    while (!hit.result.isError && Date.now() - began < 8_000) hit = await timed('observe', { session_id: id });
    const { result, ms } = hit;
    expect(result.isError, result.text).toBe(true);
    expect(result.text).toMatch(/E_PAGE_UNRESPONSIVE: (observe did not finish within 6s|step did not finish within 10s): a script on the page keeps its thread busy/);
    expect(result.text).toMatch(/fresh blank tab \d+ is now active/);
    expect(ms).toBeLessThan(STEP_S * 1000 + SLACK_MS);
    await expectRecovered(id);
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('an endless loop while parsing: the goto step answers within its limit', async () => {
    const id = await startSession(server.client);
    const url = pages.setContent('/loop-parse', '<p>before</p><script>for (;;) {}</script><p>after</p>');
    const { result, ms } = await timed('step', { session_id: id, type: 'goto', url });
    expect(result.isError, result.text).toBe(true);
    expect(result.text).toMatch(/E_PAGE_UNRESPONSIVE: step did not finish within 10s: a script on the page keeps its thread busy/);
    expect(ms).toBeLessThan(STEP_S * 1000 + SLACK_MS);
    await expectRecovered(id);
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('a busy loop in evaluate_js: the step fails within the script limit and the session works on', async () => {
    const id = await startSession(server.client);
    await call(server.client, 'step', { session_id: id, type: 'goto', url: calm });
    const { result, ms } = await timed('step', { session_id: id, type: 'evaluate_js', code: 'while (true) {}' });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured['success']).toBe(false);
    expect(result.text).toMatch(/still running after 5000ms and keeps the page busy/);
    expect(result.text).toMatch(/fresh blank tab/);
    expect(ms).toBeLessThan(STEP_S * 1000 + SLACK_MS);
    await expectRecovered(id);
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('an alert() loop: the call answers within its limit and says the page opens dialogs in a loop', async () => {
    const id = await startSession(server.client);
    const url = pages.setContent('/alerts', '<h1>Alerts</h1><script>setTimeout(() => { for (;;) alert("again") }, 1500)</script>');
    const began = Date.now();
    let hit = await timed('step', { session_id: id, type: 'goto', url });
    while (!hit.result.isError && Date.now() - began < 8_000) hit = await timed('observe', { session_id: id });
    const { result, ms } = hit;
    expect(result.isError, result.text).toBe(true);
    expect(result.text).toMatch(/E_PAGE_UNRESPONSIVE: (observe did not finish within 6s|step did not finish within 10s): the page opens dialogs in a loop/);
    expect(ms).toBeLessThan(STEP_S * 1000 + SLACK_MS);
    await expectRecovered(id);
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('a server that never answers: scrape of its URL answers within its limit and says so', async () => {
    pages.setRoute('/never', () => undefined); // the request is read and never answered
    const id = await startSession(server.client);
    const { result, ms } = await timed('scrape', { session_id: id, url: pages.url('/never') });
    expect(result.isError, result.text).toBe(true);
    expect(result.text).toMatch(/E_PAGE_UNRESPONSIVE: scrape did not finish within 8s: the server of http:\/\/127\.0\.0\.1:\d+\/never has not answered/);
    expect(ms).toBeLessThan(SCRAPE_S * 1000 + SLACK_MS);
    await expectRecovered(id);
    await call(server.client, 'session_stop', { session_id: id });
  });
});

describe('a page that freezes the names our page libraries used to live under', () => {
  it('is observed, scraped and clicked as any page: the names are new with every server process', async () => {
    const frozen = ['__bsmWalk', '__bsmScrape', '__bsm', '__bsmSettle'];
    const url = pages.setContent('/frozen', `<h1>Frozen names</h1><button onclick="document.title = 'pressed'">Press</button>
      <script>for (const name of ${JSON.stringify(frozen)}) Object.defineProperty(window, name, { value: () => null, writable: false, configurable: false });</script>`);
    const id = await startSession(server.client, { url });
    const seen = await call(server.client, 'observe', { session_id: id });
    expect(seen.isError, seen.text).toBe(false);
    expect(seen.text).toContain('Frozen names');
    const button = /\[(B\d+)[^\]]*Press/.exec(seen.text)?.[1];
    expect(button, seen.text).toBeDefined();
    const scraped = await call(server.client, 'scrape', { session_id: id });
    expect(scraped.isError, scraped.text).toBe(false);
    expect(scraped.text).toContain('# Frozen names');
    const clicked = await call(server.client, 'step', { session_id: id, type: 'click', id: button });
    expect(clicked.structured['success'], clicked.text).toBe(true);
    const part = await call(server.client, 'scrape', { session_id: id, selector: 'h1' });
    expect(part.isError, part.text).toBe(false);
    expect((await call(server.client, 'observe', { session_id: id })).structured['metadata']).toMatchObject({ title: 'pressed' });
    await call(server.client, 'session_stop', { session_id: id });
  });
});
