import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import { call, startSession, startStdio } from './harness.js';
import type { StdioServer } from './harness.js';

let top: PageServer;
let other: PageServer;
let server: StdioServer;

beforeAll(async () => {
  top = await PageServer.start();
  other = await PageServer.start();
  server = await startStdio();
});

afterAll(async () => {
  await server.close();
  await server.exited;
  await Promise.all([top.close(), other.close()]);
});

describe('frames and shadow DOM through the server', () => {
  it('observes a page whose Content-Security-Policy forbids eval and inline scripts', async () => {
    top.setRoute('/csp', {
      body: '<!doctype html><title>Locked</title><h1>Locked down</h1><button>Still clickable</button>',
      headers: { 'content-security-policy': "default-src 'none'; script-src 'none'" },
    });
    const id = await startSession(server.client, { url: top.url('/csp') });
    for (let round = 0; round < 2; round += 1) {
      const seen = await call(server.client, 'observe', { session_id: id }); // the first installs the walk, the second reuses it
      expect(seen.isError, seen.text).toBe(false);
      expect(seen.text).toContain('[B1 Still clickable]');
    }
    await call(server.client, 'session_stop', { session_id: id });
  });


  it('acts by id inside a cross-origin iframe and an open shadow root', async () => {
    // `localhost` and `127.0.0.1` are different origins, so the iframe is cross-origin.
    const inner = other.setContent('/inner', '<h2>Embedded widget</h2><button onclick="this.textContent = \'Widget clicked\'">Press widget</button>').replace('127.0.0.1', 'localhost');
    const url = top.setContent(
      '/outer',
      `<h1>Host page</h1>
       <div id="host"></div>
       <script>
         const root = document.getElementById('host').attachShadow({ mode: 'open' });
         root.innerHTML = '<button onclick="this.textContent = \\'Shadow clicked\\'">Press shadow</button>';
       </script>
       <iframe src="${inner}" width="400" height="200"></iframe>`,
    );
    const id = await startSession(server.client, { url });
    const seen = await call(server.client, 'observe', { session_id: id });
    expect(seen.text).toContain('[B1 Press shadow]');
    expect(seen.text).toContain('Embedded widget');
    expect(seen.text).toContain('[B2 Press widget]');

    const shadow = await call(server.client, 'step', { session_id: id, type: 'click', id: 'B1' });
    const widget = await call(server.client, 'step', { session_id: id, type: 'click', id: 'B2' });
    expect(shadow.structured['success'], shadow.text).toBe(true);
    expect(widget.structured['success'], widget.text).toBe(true);

    const after = await call(server.client, 'observe', { session_id: id });
    expect(after.text).toContain('[B1 Shadow clicked]');
    expect(after.text).toContain('[B2 Widget clicked]');
    await call(server.client, 'session_stop', { session_id: id });
  });
});
