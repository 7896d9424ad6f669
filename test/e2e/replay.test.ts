import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { call, chromiumProcesses, serverArgs, startSession, startStdio, waitFor } from './harness.js';
import type { StdioServer } from './harness.js';

/** The recordings are checked with the real tools: unzip for the trace, ffprobe for the video. */
function tool(name: string, hint: string): string {
  try {
    execFileSync(name, ['-h'], { stdio: 'ignore' });
  } catch (error: unknown) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') throw new Error(`${name} is missing: ${hint}`, { cause: error });
  }
  return name;
}

let pages: PageServer;
let server: StdioServer;
let dataDir: string;

beforeAll(async () => {
  tool('unzip', 'apt-get install unzip');
  tool('ffprobe', 'apt-get install ffmpeg (the server makes its videos with ffmpeg, the test measures them with ffprobe)');
  pages = await PageServer.start();
  pages.setContent('/counter', `<html><title>Counter</title><button id="b" style="font-size:40px" onclick="this.textContent = 'clicked ' + (++window.n); document.body.style.background = ['#f00','#0f0','#00f'][window.n % 3]">click me</button><script>window.n = 0</script></html>`);
  dataDir = mkdtempSync(join(tmpdir(), 'bsm-replay-'));
  server = await startStdio(['--caps', 'replay', '--data-dir', dataDir]);
});

afterAll(async () => {
  await server.close();
  await server.exited;
  await pages.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('session recordings and session_replay', () => {
  it('records a trace that names every step and an MP4 as long as the session, once it is stopped', async () => {
    const id = await startSession(server.client, { url: pages.url('/counter'), recording: true });
    expect((await call(server.client, 'observe', { session_id: id })).text).toContain('B1');
    expect((await call(server.client, 'step', { session_id: id, type: 'click', id: 'B1' })).isError).toBe(false);
    expect((await call(server.client, 'step', { session_id: id, type: 'wait', time_ms: 1500 })).isError).toBe(false);
    expect((await call(server.client, 'scrape', { session_id: id })).isError).toBe(false);

    const early = await call(server.client, 'session_replay', { session_id: id });
    expect(early.isError).toBe(true);
    expect(early.text).toMatch(/^E_REPLAY_NOT_READY: .*still active.*session_stop/);

    await call(server.client, 'session_stop', { session_id: id });
    const replay = await call(server.client, 'session_replay', { session_id: id });
    expect(replay.isError, replay.text).toBe(false);
    const r = replay.structured;
    expect(r['session_id']).toBe(id);
    expect(r['video_error']).toBeNull();
    const traceUrl = String(r['trace_url']);
    const mp4Url = String(r['mp4_url']);
    expect(traceUrl).toBe(`file://${join(dataDir, 'recordings', id, 'trace.zip')}`);
    expect(Date.parse(String(r['expires_at']))).toBeGreaterThan(Date.now() + 23 * 3600_000);
    const links = replay.raw.content.filter((block) => block.type === 'resource_link');
    expect(links.map((link) => (link.type === 'resource_link' ? [link.uri, link.mimeType] : []))).toEqual([[traceUrl, 'application/zip'], [mp4Url, 'video/mp4']]);
    expect(replay.raw.content.some((block) => block.type === 'resource')).toBe(false);

    // The trace: the files Playwright's trace viewer reads, and a named group per tool call.
    const tracePath = fileURLToPath(traceUrl);
    const entries = execFileSync('unzip', ['-Z1', tracePath], { encoding: 'utf8' }).split('\n');
    expect(entries).toContain('trace.trace');
    expect(entries).toContain('trace.network');
    expect(entries.some((entry) => entry.startsWith('screencast/') && entry.endsWith('.jpeg'))).toBe(true);
    const events = execFileSync('unzip', ['-p', tracePath, 'trace.trace'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
      .split('\n').filter((line) => line !== '').map((line): unknown => JSON.parse(line));
    const groups = events.flatMap((event) => (typeof event === 'object' && event !== null && 'method' in event && event.method === 'tracingGroup' && 'title' in event ? [String(event.title)] : []));
    expect(groups).toEqual([`goto ${pages.url('/counter')}`, 'observe', 'click B1', 'wait', 'scrape']);
    expect(events.some((event) => typeof event === 'object' && event !== null && 'type' in event && event.type === 'frame-snapshot')).toBe(true);

    // The video: H.264, frame count and duration as reported, and at least as long as the wait step.
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,nb_read_frames,duration', '-of', 'json', fileURLToPath(mp4Url)], { encoding: 'utf8' })) as { streams: { codec_name: string; nb_read_frames: string; duration: string }[] }; // ffprobe's JSON, as asked for
    const stream = probe.streams[0];
    expect(stream?.codec_name).toBe('h264');
    expect(Number(stream?.nb_read_frames)).toBe(r['video_frames']);
    expect(Math.abs(Number(stream?.duration) * 1000 - Number(r['video_duration_ms']))).toBeLessThanOrEqual(200);
    expect(Number(r['video_duration_ms'])).toBeGreaterThanOrEqual(1500);
    expect(replay.text).toContain(`${r['video_frames']} frames`);

    const embedded = await call(server.client, 'session_replay', { session_id: id, embed: true });
    const blobs = embedded.raw.content.flatMap((block) => (block.type === 'resource' && 'blob' in block.resource ? [block.resource] : []));
    expect(blobs.map((blob) => blob.uri)).toContain(traceUrl);
    expect(Buffer.from(String(blobs[0]?.blob), 'base64').subarray(0, 2).toString()).toBe('PK');
  });

  it('makes a video that lasts as long as the session did, by the test\'s own clock, and shows each visible change in order', async () => {
    const beforeStart = Date.now();
    const id = await startSession(server.client, { url: pages.url('/counter'), recording: true });
    const afterStart = Date.now();
    await call(server.client, 'observe', { session_id: id });
    // White, then green after the first click, then blue after the second: three looks the video must show in turn.
    expect((await call(server.client, 'step', { session_id: id, type: 'click', id: 'B1' })).isError).toBe(false);
    expect((await call(server.client, 'step', { session_id: id, type: 'wait', time_ms: 1500 })).isError).toBe(false);
    expect((await call(server.client, 'step', { session_id: id, type: 'click', id: 'B1' })).isError).toBe(false);
    expect((await call(server.client, 'step', { session_id: id, type: 'wait', time_ms: 1500 })).isError).toBe(false);
    const beforeStop = Date.now();
    await call(server.client, 'session_stop', { session_id: id });
    const afterStop = Date.now();
    const replay = await call(server.client, 'session_replay', { session_id: id });
    expect(replay.isError, replay.text).toBe(false);
    const video = fileURLToPath(String(replay.structured['mp4_url']));

    // Frame rate and count as ffprobe reads them from the file, checked against the wall time the test measured.
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=avg_frame_rate,nb_read_frames', '-of', 'json', video], { encoding: 'utf8' })) as { streams: { avg_frame_rate: string; nb_read_frames: string }[] }; // ffprobe's JSON, as asked for
    const [num, den] = String(probe.streams[0]?.avg_frame_rate).split('/').map(Number);
    const fps = Number(num) / Number(den);
    const frames = Number(probe.streams[0]?.nb_read_frames);
    expect(fps).toBeGreaterThan(0);
    // The recording runs from before start returned to before stop returned: at most the outer span, and (with
    // a generous 30 % for timers on a loaded machine) at least the inner one.
    const outer = ((afterStop - beforeStart) / 1000) * fps;
    const inner = ((beforeStop - afterStart) / 1000) * fps;
    expect(frames, `${frames} frames at ${fps} fps; session spans ${inner.toFixed(1)}–${outer.toFixed(1)} frames`).toBeLessThanOrEqual(Math.ceil(outer) + 1);
    expect(frames, `${frames} frames at ${fps} fps; session spans ${inner.toFixed(1)}–${outer.toFixed(1)} frames`).toBeGreaterThanOrEqual(Math.floor(inner * 0.7));

    // The colour in the middle of each frame, decoded by ffmpeg: the looks must appear in the order they happened.
    const rgb = execFileSync('ffmpeg', ['-v', 'error', '-i', video, '-vf', 'crop=16:16:(iw-16)/2:(ih-16)/2,scale=1:1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 16 * 1024 * 1024 });
    const looks: string[] = [];
    for (let i = 0; i + 2 < rgb.length; i += 3) {
      const [r, g, b] = [rgb[i] ?? 0, rgb[i + 1] ?? 0, rgb[i + 2] ?? 0];
      looks.push(r > 200 && g > 200 && b > 200 ? 'white' : g > 150 && r < 100 && b < 100 ? 'green' : b > 150 && r < 100 && g < 100 ? 'blue' : 'other');
    }
    expect(looks.length).toBe(frames);
    const sequence = looks.filter((look, i) => look !== 'other' && look !== looks[i - 1]);
    expect(sequence, looks.join(' ')).toEqual(['white', 'green', 'blue']);
    // Each click was followed by a 1.5 s wait: each colour stays on screen for a good part of that.
    expect(looks.filter((look) => look === 'green').length, looks.join(' ')).toBeGreaterThanOrEqual(Math.floor(1.5 * fps * 0.6));
    expect(looks.filter((look) => look === 'blue').length, looks.join(' ')).toBeGreaterThanOrEqual(Math.floor(1.5 * fps * 0.6));
  });

  it('links a recording file over the embed cap instead of embedding it, and embeds the small one beside it', async () => {
    // 3 MB of noise fetched by the page: the trace keeps the response, so trace.zip passes the 2 MiB cap.
    pages.setRoute('/noise.bin', { body: randomBytes(3 * 1024 * 1024), contentType: 'application/octet-stream' });
    const id = await startSession(server.client, { url: pages.setContent('/noisy', '<h1 id="h">loading</h1><script>fetch("/noise.bin").then((r) => r.arrayBuffer()).then((b) => { document.getElementById("h").textContent = "got " + b.byteLength; })</script>'), recording: true });
    await waitFor('the page to fetch the noise', async () => (await call(server.client, 'scrape', { session_id: id })).text, (text) => text.includes(`got ${3 * 1024 * 1024}`));
    await call(server.client, 'session_stop', { session_id: id });
    const replay = await call(server.client, 'session_replay', { session_id: id, embed: true });
    expect(replay.isError, replay.text).toBe(false);
    const traceUrl = String(replay.structured['trace_url']);
    const mp4Url = String(replay.structured['mp4_url']);
    const link = replay.raw.content.find((block) => block.type === 'resource_link' && block.uri === traceUrl);
    const traceSize = link?.type === 'resource_link' ? Number(link.size) : 0;
    expect(traceSize).toBeGreaterThan(2 * 1024 * 1024);
    const embeddedUris = replay.raw.content.flatMap((block) => (block.type === 'resource' ? [block.resource.uri] : []));
    expect(embeddedUris).not.toContain(traceUrl);
    expect(embeddedUris).toEqual([mp4Url]);
  });

  it('tells an agent how to get a recording when the session has none, and hides foreign ids', async () => {
    const id = await startSession(server.client, { url: pages.url('/counter') });
    await call(server.client, 'session_stop', { session_id: id });
    const none = await call(server.client, 'session_replay', { session_id: id });
    expect(none.text).toMatch(/^E_REPLAY_NOT_READY: .*recording: true/);
    expect(existsSync(join(dataDir, 'recordings', id))).toBe(false);
    const unknown = await call(server.client, 'session_replay', { session_id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.text).toMatch(/^E_SESSION_NOT_FOUND/);
    const bad = await call(server.client, 'session_replay', { session_id: id, embed: 'yes' });
    expect(bad.text).toMatch(/^E_INVALID_INPUT: .*embed/);
  });
});

describe('--record and --recordings-ttl', () => {
  it('records every session and removes the recording when its TTL has passed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bsm-ttl-'));
    const ttl = await startStdio(['--data-dir', dir, '--record', '--recordings-ttl', '2']);
    try {
      const id = await startSession(ttl.client, { url: pages.url('/counter') });
      await call(ttl.client, 'session_stop', { session_id: id });
      const replay = await call(ttl.client, 'session_replay', { session_id: id });
      expect(replay.isError, replay.text).toBe(false);
      const folder = join(dir, 'recordings', id);
      expect(existsSync(join(folder, 'trace.zip'))).toBe(true);
      await waitFor('the expired recording to be removed', () => existsSync(folder), (exists) => !exists, 15_000);
      const expired = await call(ttl.client, 'session_replay', { session_id: id });
      expect(expired.text).toMatch(/^E_REPLAY_NOT_READY: .*expired/);
    } finally {
      await ttl.close();
      await ttl.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a server without ffmpeg', () => {
  it('still records the trace, and says why there is no video', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bsm-noffmpeg-'));
    const tag = `no-ffmpeg-${process.pid}`;
    // node and Chromium are given by absolute path; a PATH with nothing on it hides ffmpeg alone.
    const transport = new StdioClientTransport({ command: process.execPath, args: serverArgs(tag, ['--caps', 'replay', '--data-dir', dir]), env: { PATH: join(dir, 'empty'), HOME: dir }, stderr: 'ignore' });
    const client = new Client({ name: 'e2e-no-ffmpeg', version: '1.0.0' });
    await client.connect(transport);
    try {
      const id = await startSession(client, { url: pages.url('/counter'), recording: true });
      await call(client, 'step', { session_id: id, type: 'wait', time_ms: 500 });
      await call(client, 'session_stop', { session_id: id });
      const replay = await call(client, 'session_replay', { session_id: id });
      expect(replay.isError, replay.text).toBe(false);
      expect(replay.structured).toMatchObject({ mp4_url: null, video_duration_ms: null, video_frames: null });
      expect(String(replay.structured['video_error'])).toContain('ffmpeg is not installed');
      expect(replay.text).toContain('no video (ffmpeg is not installed');
      expect(existsSync(fileURLToPath(String(replay.structured['trace_url'])))).toBe(true);
    } finally {
      await client.close();
      await waitFor('its Chromium to exit', () => chromiumProcesses(tag).length, (count) => count === 0, 15_000);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
