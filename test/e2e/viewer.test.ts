import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchTestBrowser } from '../fixtures/chromium.js';
import { PageServer } from '../fixtures/pageServer.js';
import { call, chromiumProcesses, startHttpServer, startStdio, waitFor } from './harness.js';
import type { HttpServer, StdioServer } from './harness.js';

let pages: PageServer;
let server: StdioServer;
let browser: Browser;
let decoder: Page;
let dataDir: string;
let hits = 0;

/** GET/POST with a chosen Host header, as a DNS-rebinding page or a stranger would send it. */
function raw(url: string, options: { method?: string; host?: string; body?: string } = {}): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, method: options.method ?? 'GET', headers: { host: options.host ?? target.host, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) } },
      (res) => {
        // An event stream never ends: its status is all a test needs.
        if (res.headers['content-type']?.startsWith('text/event-stream') === true) {
          resolve({ status: res.statusCode ?? 0, body: '' });
          res.destroy();
          return;
        }
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.once('error', reject);
    req.end(options.body);
  });
}

async function startWithViewer(url: string): Promise<{ id: string; viewerUrl: string }> {
  const started = await call(server.client, 'session_start', { url });
  expect(started.isError, started.text).toBe(false);
  const viewerUrl = started.structured['viewer_url'];
  if (typeof viewerUrl !== 'string') throw new Error(`no viewer_url in ${started.text}`);
  return { id: String(started.structured['session_id']), viewerUrl };
}

async function frameOf(viewer: Page): Promise<string> {
  return viewer.locator('#frame').evaluate((img) => (img instanceof HTMLImageElement ? img.src : ''));
}

interface FrameDiff {
  /** Pixels where some colour channel moved by more than JPEG noise does. */
  changed: number;
  total: number;
  /** The colour at the centre of the second frame. */
  centre: [number, number, number];
}

/** Decodes two JPEG data URLs in a blank page of the test's own browser and compares them pixel by pixel. */
async function frameDiff(a: string, b: string): Promise<FrameDiff> {
  return decoder.evaluate(async ([first, second]) => {
    const decode = async (url: string): Promise<ImageData> => {
      const bitmap = await createImageBitmap(await (await fetch(url)).blob());
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d');
      if (context === null) throw new Error('no 2d canvas');
      context.drawImage(bitmap, 0, 0);
      return context.getImageData(0, 0, bitmap.width, bitmap.height);
    };
    const [x, y] = [await decode(first), await decode(second)];
    const at = (image: ImageData, k: number): number => image.data[k] ?? 0;
    const width = Math.min(x.width, y.width);
    const height = Math.min(x.height, y.height);
    let changed = 0;
    for (let row = 0; row < height; row += 1) {
      for (let col = 0; col < width; col += 1) {
        const i = (row * x.width + col) * 4;
        const j = (row * y.width + col) * 4;
        if (Math.max(Math.abs(at(x, i) - at(y, j)), Math.abs(at(x, i + 1) - at(y, j + 1)), Math.abs(at(x, i + 2) - at(y, j + 2))) > 40) changed += 1;
      }
    }
    const c = ((y.height >> 1) * y.width + (y.width >> 1)) * 4;
    return { changed, total: width * height, centre: [at(y, c), at(y, c + 1), at(y, c + 2)] as [number, number, number] };
  }, [a, b] as const);
}

async function openViewer(viewerUrl: string): Promise<Page> {
  const viewer = await browser.newPage();
  await viewer.goto(viewerUrl);
  await waitFor('a first frame in the viewer', () => frameOf(viewer), (src) => src.startsWith('data:image/jpeg;base64,'), 20_000);
  return viewer;
}

beforeAll(async () => {
  pages = await PageServer.start();
  dataDir = mkdtempSync(join(tmpdir(), 'bsm-viewer-'));
  pages.setRoute('/hit', (_req, res) => {
    hits += 1;
    res.writeHead(204).end();
  });
  // One big button: a click anywhere in the middle of the frame lands on it; each click repaints the page.
  pages.setContent('/counter', `<html><title>Counter</title><style>body{margin:0}#b{position:fixed;inset:0;width:100%;height:100%;font-size:48px;background:#fff}</style>
    <button id="b" onclick="fetch('/hit'); this.textContent = 'clicked ' + (++window.n); this.style.background = ['#f00','#0f0','#00f'][window.n % 3]">click me</button><script>window.n = 0</script>
    <input id="t" style="position:fixed;top:0;left:0;width:200px" aria-label="typed"></html>`);
  pages.setContent('/a', '<html><title>Page A</title><h1 style="font-size:80px">A</h1></html>');
  pages.setContent('/b', '<html><title>Page B</title><h1 style="font-size:80px">B</h1></html>');
  server = await startStdio(['--viewer', '--viewer-max-clients', '1', '--data-dir', dataDir]);
  browser = await launchTestBrowser();
  decoder = await browser.newPage();
});

afterAll(async () => {
  await browser.close();
  await server.close();
  await server.exited;
  await pages.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('live viewer over stdio (--viewer)', () => {
  it('streams the page, shows each step, and lets a person take over and hand back', async () => {
    const { id, viewerUrl } = await startWithViewer(pages.url('/counter'));
    expect(viewerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/viewer\/[A-Za-z0-9_-]{32}$/);
    const status = await call(server.client, 'session_status', { session_id: id });
    expect(status.text).toContain(`watch: ${viewerUrl}`);

    const viewer = await openViewer(viewerUrl);
    await waitFor('the URL and title', async () => `${await viewer.locator('#url').textContent()} ${await viewer.locator('#title').textContent()}`, (text) => text.includes('/counter') && text.includes('Counter'));
    // The viewer's one slot (--viewer-max-clients 1) is taken.
    expect((await raw(`${viewerUrl}/events`)).status).toBe(429);

    const before = await frameOf(viewer);
    const observed = await call(server.client, 'observe', { session_id: id });
    expect(observed.text).toContain('B1');
    const clicked = await call(server.client, 'step', { session_id: id, type: 'click', id: 'B1' });
    expect(clicked.isError, clicked.text).toBe(false);
    // The click turns the page-wide button from white to green: most of the frame must change, to green.
    const diff = await waitFor('a frame showing the click', async () => frameDiff(before, await frameOf(viewer)), (d) => d.changed > d.total / 2, 20_000);
    expect(diff.total).toBeGreaterThan(100_000);
    const [red, green, blue] = diff.centre;
    expect(green).toBeGreaterThan(200);
    expect(Math.max(red, blue)).toBeLessThan(80);
    await waitFor('the step in the list', () => viewer.locator('#steps').textContent(), (text) => (text ?? '').includes('click B1 ✓'));
    expect(await viewer.locator('#steps').textContent()).toContain('observe');
    expect(hits).toBe(1);

    // Take over: the agent is told to wait, the person's click reaches the page.
    await viewer.locator('#take').click();
    await waitFor('control in the viewer', () => viewer.locator('#status').textContent(), (text) => text === 'you are in control');
    const refused = await call(server.client, 'step', { session_id: id, type: 'click', id: 'B1' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/^E_TAKEN_OVER: .*observe/);
    await viewer.locator('#frame').click({ position: { x: 300, y: 300 } });
    await waitFor('the viewer click on the page', () => hits, (count) => count === 2);
    // Typing: a click into the text box (top left of the frame), then keys, Backspace included.
    await viewer.locator('#frame').click({ position: { x: 5, y: 5 } });
    await viewer.keyboard.type('hix');
    await viewer.keyboard.press('Backspace');
    await viewer.keyboard.press('Shift');
    await viewer.locator('#back').click();
    await waitFor('control back with the agent', () => viewer.locator('#status').textContent(), (text) => (text ?? '').startsWith('agent in control'));
    const typed = await call(server.client, 'step', { session_id: id, type: 'evaluate_js', code: "document.getElementById('t').value" });
    expect(typed.text).toContain('Script returned hi (');
    const again = await call(server.client, 'step', { session_id: id, type: 'click', id: 'B1' });
    expect(again.isError, again.text).toBe(false);
    await waitFor('the agent click', () => hits, (count) => count === 3);

    // Input without taking over is refused; so is a malformed one.
    expect((await raw(`${viewerUrl}/input`, { method: 'POST', body: JSON.stringify({ type: 'click', x: 0.5, y: 0.5 }) })).status).toBe(409);
    expect((await raw(`${viewerUrl}/input`, { method: 'POST', body: JSON.stringify({ type: 'key', key: 'Shift' }) })).status).toBe(400);
    await viewer.close();
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('answers 404 to a wrong token and to the token of an ended session, and 403 to a foreign Host', async () => {
    const { id, viewerUrl } = await startWithViewer(pages.url('/a'));
    expect((await raw(viewerUrl)).status).toBe(200);
    const origin = new URL(viewerUrl).origin;
    expect((await raw(`${origin}/viewer/${'x'.repeat(32)}`)).status).toBe(404);
    expect((await raw(`${origin}/viewer/${'x'.repeat(32)}/events`)).status).toBe(404);
    expect((await raw(viewerUrl, { host: 'evil.example' })).status).toBe(403);
    expect((await raw(`${origin}/mcp`)).status).toBe(404);
    await call(server.client, 'session_stop', { session_id: id });
    const gone = await raw(viewerUrl);
    expect(gone.status).toBe(404);
    expect(gone.body).toContain('session has ended');
    const stopped = await call(server.client, 'session_status', { session_id: id });
    expect(stopped.text).not.toContain('watch:');
    expect(stopped.structured['viewer_url']).toBeNull();
  });

  it('shows each session only its own page', async () => {
    const a = await startWithViewer(pages.url('/a'));
    const b = await startWithViewer(pages.url('/b'));
    expect(a.viewerUrl).not.toBe(b.viewerUrl);
    const viewerA = await openViewer(a.viewerUrl);
    const viewerB = await openViewer(b.viewerUrl);
    await waitFor('A in viewer A', () => viewerA.locator('#title').textContent(), (text) => text === 'Page A');
    await waitFor('B in viewer B', () => viewerB.locator('#title').textContent(), (text) => text === 'Page B');
    expect(await viewerA.locator('#tabs').textContent()).not.toContain('/b');
    expect(await viewerB.locator('#tabs').textContent()).not.toContain('/a');
    // The two frames differ where the big "A" and "B" are drawn, not only in JPEG noise.
    expect((await frameDiff(await frameOf(viewerA), await frameOf(viewerB))).changed).toBeGreaterThan(500);
    await viewerA.close();
    await viewerB.close();
    await call(server.client, 'session_stop', { session_id: a.id });
    await call(server.client, 'session_stop', { session_id: b.id });
  });
});

describe('a person working in the viewer', () => {
  it('keeps the session from timing out while they have control', async () => {
    // One "minute" is 4 s here: idle_timeout_minutes 1 ends a session left alone for 4 s.
    const quick = await startStdio(['--viewer', '--minute-ms', '4000', '--data-dir', dataDir]);
    try {
      const started = await call(quick.client, 'session_start', { url: pages.url('/a'), idle_timeout_minutes: 1 });
      const id = String(started.structured['session_id']);
      const viewerUrl = String(started.structured['viewer_url']);
      expect((await raw(`${viewerUrl}/control`, { method: 'POST', body: '{"action":"take"}' })).status).toBe(200);
      for (let i = 0; i < 20; i += 1) {
        expect((await raw(`${viewerUrl}/input`, { method: 'POST', body: JSON.stringify({ type: 'scroll', x: 0.5, y: 0.5, dy: 10 }) })).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const status = await call(quick.client, 'session_status', { session_id: id });
      expect(status.structured['status'], 'a person scrolled every 0.5 s for 10 s').toBe('active');
      // Left alone, it times out as before.
      await waitFor('the idle timeout', async () => (await call(quick.client, 'session_status', { session_id: id })).structured['status'], (value) => value === 'timed_out', 30_000);
    } finally {
      await quick.close();
      await quick.exited;
    }
  });
});

describe('headless: false on a server without a display', () => {
  it('runs the session headless and opens the viewer for it, without --viewer', async () => {
    const plain = await startStdio(['--data-dir', dataDir]);
    try {
      const normal = await call(plain.client, 'session_start', {});
      expect(normal.structured['viewer_url']).toBeNull();
      const headed = await call(plain.client, 'session_start', { headless: false, url: pages.url('/b') });
      expect(headed.isError, headed.text).toBe(false);
      expect(headed.structured['headless']).toBe(false);
      const viewer = await openViewer(String(headed.structured['viewer_url']));
      await waitFor('B in the viewer', () => viewer.locator('#title').textContent(), (text) => text === 'Page B');
      await viewer.close();
    } finally {
      await plain.close();
      await plain.exited;
    }
  });
});

describe('live viewer over HTTP', () => {
  let http: HttpServer;
  beforeAll(async () => {
    http = await startHttpServer(['--viewer-read-only', '--data-dir', dataDir]);
  });
  afterAll(async () => {
    await http.stop();
    await waitFor('no Chromium left', () => chromiumProcesses(http.tag).length, (count) => count === 0);
  });

  it('serves viewer_url on the MCP port, read-only by flag, behind the same Host check', async () => {
    const { client } = await http.connect();
    const started = await call(client, 'session_start', { url: pages.url('/a') });
    const viewerUrl = String(started.structured['viewer_url']);
    expect(viewerUrl.startsWith(`${http.origin}/viewer/`)).toBe(true);
    const viewer = await openViewer(viewerUrl);
    await waitFor('read-only status', () => viewer.locator('#status').textContent(), (text) => text === 'agent in control · read-only');
    expect(await viewer.locator('#take').isHidden()).toBe(true);
    expect((await raw(`${viewerUrl}/control`, { method: 'POST', body: '{"action":"take"}' })).status).toBe(403);
    expect((await raw(viewerUrl, { host: 'evil.example' })).status).toBe(403);
    await viewer.close();
    await call(client, 'session_stop', { session_id: started.structured['session_id'] });
    expect((await raw(viewerUrl)).status).toBe(404);
  });
  it('runs the screencast only while a viewer watches, and stops it when the last one leaves', async () => {
    const health = async (): Promise<{ screencasts_running: number; screencast_frames: number }> => (await (await fetch(`${http.origin}/healthz`)).json()) as { screencasts_running: number; screencast_frames: number }; // our own /healthz
    const { client } = await http.connect();
    // A page that repaints on every animation frame: a running screencast gets frames all the time.
    const started = await call(client, 'session_start', { url: pages.setContent('/spin', '<h1 id="n" style="font-size:80px">0</h1><script>let n = 0; const tick = () => { document.getElementById("n").textContent = String(++n); requestAnimationFrame(tick); }; tick();</script>') });
    const id = started.structured['session_id'];
    const viewerUrl = String(started.structured['viewer_url']);
    // A `wait` step lets the page animate for a second while the test counts frames.
    const animate = async (): Promise<void> => {
      expect((await call(client, 'step', { session_id: id, type: 'wait', time_ms: 1000 })).isError).toBe(false);
    };

    const unwatched = await health();
    expect(unwatched.screencasts_running).toBe(0);
    await animate();
    expect((await health()).screencast_frames, 'no frames before anyone watches').toBe(unwatched.screencast_frames);

    for (let round = 0; round < 2; round += 1) {
      const viewer = await openViewer(viewerUrl);
      const watching = await waitFor('frames while the viewer watches', health, (h) => h.screencasts_running === 1 && h.screencast_frames >= unwatched.screencast_frames + 5, 20_000);
      await viewer.close();
      const left = await waitFor('the screencast to stop after the last viewer left', health, (h) => h.screencasts_running === 0, 20_000);
      expect(left.screencast_frames).toBeGreaterThanOrEqual(watching.screencast_frames);
      await animate();
      expect((await health()).screencast_frames, `no frames once the viewer left (round ${round + 1})`).toBe(left.screencast_frames);
    }
    await call(client, 'session_stop', { session_id: id });
  });
});
