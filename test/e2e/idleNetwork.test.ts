import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import { ProxySink } from '../fixtures/proxySink.js';
import { call, startSession, startStdio, waitFor } from './harness.js';
import type { StdioServer } from './harness.js';

// Every request the browser sends to a host other than loopback goes to the sink instead of the network.
let sink: ProxySink;
let pages: PageServer;
let server: StdioServer;

beforeAll(async () => {
  sink = await ProxySink.start();
  pages = await PageServer.start();
  server = await startStdio([`--browser-arg=--proxy-server=${sink.url}`]);
});

afterAll(async () => {
  await server.close();
  await server.exited;
  await pages.close();
  await sink.close();
});

describe('an idle session', () => {
  it('sends no request to an outside host (Playwright’s feature switches survive ours)', async () => {
    const id = await startSession(server.client);
    // The sink does see what a page sends outside: this is what the idle check below would catch.
    const probe = pages.setContent('/probe', `<p>probe</p><script>fetch('http://outside.example/ping').catch(() => {})</script>`);
    expect((await call(server.client, 'step', { session_id: id, type: 'goto', url: probe })).structured['success']).toBe(true);
    await waitFor('the probe request at the sink', () => sink.outside(), (hosts) => hosts.includes('outside.example'), 15_000);

    const idle = pages.setContent('/idle', '<h1>Nothing to do</h1>');
    expect((await call(server.client, 'step', { session_id: id, type: 'goto', url: idle })).structured['success']).toBe(true);
    // An idle window long enough for Chromium's start-up and background queries (network time, hints, search
    // preconnects), which go out within a few seconds of launch when they are enabled.
    expect((await call(server.client, 'step', { session_id: id, type: 'wait', time_ms: 6_000 })).structured['success']).toBe(true);
    // Counted from the browser's launch on: its start-up queries are the ones that went out before.
    expect(sink.outside().filter((host) => host !== 'outside.example')).toEqual([]);
    await call(server.client, 'session_stop', { session_id: id });
  });
});
