import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import { call, startSession, startStdio } from './harness.js';
import type { StdioServer } from './harness.js';

// A slow server stands in for a slow machine: the navigation a click starts takes seconds to commit.
let pages: PageServer;
let server: StdioServer;

beforeAll(async () => {
  pages = await PageServer.start();
  server = await startStdio();
});

afterAll(async () => {
  await server.close();
  await server.exited;
  await pages.close();
});

describe('an action whose target navigates', () => {
  it('reports the click on a link to a slow page as a success with the navigation, not "not visible"', async () => {
    pages.setRoute('/slow', (_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Slow</title><h1>Arrived</h1>'), 4_500);
    });
    const start = pages.setContent('/start', '<a href="/slow">Next</a>');
    const id = await startSession(server.client);
    const seen = await call(server.client, 'observe', { session_id: id, url: start });
    const link = /\[(L\d+)[^\]]*Next/.exec(seen.text)?.[1];
    expect(link, seen.text).toBeDefined();
    const clicked = await call(server.client, 'step', { session_id: id, type: 'click', id: link });
    expect(clicked.text).not.toMatch(/not visible|JavaScript/);
    expect(clicked.structured['success'], clicked.text).toBe(true);
    expect(clicked.structured['changes']).toMatchObject({ navigated: true, title: 'Slow' });
    const after = await call(server.client, 'observe', { session_id: id });
    expect(after.text).toContain('Arrived');
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('reports Enter that submits a form to a slow page as a success', async () => {
    pages.setRoute('/search', (_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Results</title><p>3 results</p>'), 4_500);
    });
    const form = pages.setContent('/form', '<form action="/search"><input name="q" aria-label="Query"></form>');
    const id = await startSession(server.client);
    const seen = await call(server.client, 'observe', { session_id: id, url: form });
    const input = /\[(I\d+)[^\]]*Query/.exec(seen.text)?.[1];
    expect(input, seen.text).toBeDefined();
    const filled = await call(server.client, 'step', { session_id: id, type: 'fill', id: input, value: 'ada', press_enter: true });
    expect(filled.structured['success'], filled.text).toBe(true);
    expect(filled.structured['changes']).toMatchObject({ navigated: true, title: 'Results' });
    await call(server.client, 'session_stop', { session_id: id });
  });
});
