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

// A page slower than an idle machine's: what the action waits for comes after 2.5 s. The step's own timeout (15 s by
// default) is the only limit; an inner limit of 2 s would report a working page as broken.
describe('inner limits never undercut the step timeout', () => {
  it('chooses an option of a custom dropdown whose list renders 2.5 s after it opens', async () => {
    const url = pages.setContent('/late-list', `<div id="plan" role="combobox" tabindex="0" onclick="setTimeout(() => { document.getElementById('list').hidden = false; }, 2500)">Pick a plan</div>
      <ul id="list" role="listbox" hidden><li role="option" onclick="document.title = 'Chose Pro'">Pro</li></ul>`);
    const id = await startSession(server.client, { url });
    const chosen = await call(server.client, 'step', { session_id: id, type: 'select_dropdown_option', selector: '#plan', value: 'Pro' });
    expect(chosen.structured['success'], chosen.text).toBe(true);
    expect((await call(server.client, 'observe', { session_id: id })).structured['metadata']).toMatchObject({ title: 'Chose Pro' });
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('form_fill fills a field that a slow reveal shows 3 s after the page loads', async () => {
    const url = pages.setContent('/late-field', `<form><label>Email <input id="email" autocomplete="email" style="visibility: hidden"></label></form>
      <script>setTimeout(() => { document.getElementById('email').style.visibility = 'visible'; }, 3000);</script>`);
    const id = await startSession(server.client, { url });
    const filled = await call(server.client, 'step', { session_id: id, type: 'form_fill', value: { email: 'ada@example.com' } });
    expect(filled.structured['success'], filled.text).toBe(true);
    const value = await call(server.client, 'step', { session_id: id, type: 'evaluate_js', code: "document.getElementById('email').value" });
    expect(JSON.stringify(value.structured['data'])).toContain('ada@example.com');
    await call(server.client, 'session_stop', { session_id: id });
  });
});
