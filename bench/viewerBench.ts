import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchTestBrowser } from '../test/fixtures/chromium.js';
import { PageServer } from '../test/fixtures/pageServer.js';
import { call, startStdio, waitFor } from '../test/e2e/harness.js';
import { fmt, median, table, timed } from './lib.js';

const ROUNDS = 5;

export interface ViewerFigures {
  firstFrameMs: number;
  stepToFrameMs: number;
  stopPlainMs: number;
  stopRecordedMs: number;
  traceKb: number;
  videoKb: number;
  videoSeconds: number;
}

/**
 * The viewer and recordings: opening viewer_url to its first frame, a step to the frame that shows it, what
 * recording adds to session_stop (saving the trace, finishing the MP4), and the size of a short recording.
 */
export async function benchViewer(): Promise<ViewerFigures> {
  const pages = await PageServer.start();
  pages.setContent('/counter', '<html><title>Counter</title><button id="b" style="font-size:40px" onclick="document.body.style.background = [\'#f00\',\'#0f0\',\'#00f\'][++window.n % 3]">click me</button><script>window.n = 0</script></html>');
  const dataDir = mkdtempSync(join(tmpdir(), 'bsm-bench-viewer-'));
  const server = await startStdio(['--viewer', '--caps', 'replay', '--data-dir', dataDir]);
  const browser = await launchTestBrowser();
  const first: number[] = [];
  const toFrame: number[] = [];
  const stopPlain: number[] = [];
  const stopRecorded: number[] = [];
  const traceKb: number[] = [];
  const videoKb: number[] = [];
  const videoSeconds: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const recording of [false, true]) {
        const started = await call(server.client, 'session_start', { url: pages.url('/counter'), recording });
        const id = String(started.structured['session_id']);
        const viewer = await browser.newPage();
        const frame = (): Promise<string> => viewer.locator('#frame').evaluate((img) => (img instanceof HTMLImageElement ? img.src : ''));
        const opened = await timed(async () => {
          await viewer.goto(String(started.structured['viewer_url']));
          return waitFor('first frame', frame, (src) => src !== '', 20_000);
        });
        await call(server.client, 'observe', { session_id: id });
        const stepped = await timed(async () => {
          await call(server.client, 'step', { session_id: id, type: 'click', id: 'B1' });
          return waitFor('a new frame', frame, (src) => src !== opened.value, 20_000);
        });
        await call(server.client, 'step', { session_id: id, type: 'wait', time_ms: 1000 });
        await viewer.close();
        const stopped = await timed(() => call(server.client, 'session_stop', { session_id: id }));
        if (!recording) {
          first.push(opened.ms);
          toFrame.push(stepped.ms);
          stopPlain.push(stopped.ms);
          continue;
        }
        stopRecorded.push(stopped.ms);
        const replay = (await call(server.client, 'session_replay', { session_id: id })).structured;
        traceKb.push(statSync(fileURLToPath(String(replay['trace_url']))).size / 1024);
        videoKb.push(statSync(fileURLToPath(String(replay['mp4_url']))).size / 1024);
        videoSeconds.push(Number(replay['video_duration_ms']) / 1000);
      }
    }
  } finally {
    await browser.close();
    await server.close();
    await server.exited;
    await pages.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return {
    firstFrameMs: median(first),
    stepToFrameMs: median(toFrame),
    stopPlainMs: median(stopPlain),
    stopRecordedMs: median(stopRecorded),
    traceKb: median(traceKb),
    videoKb: median(videoKb),
    videoSeconds: median(videoSeconds),
  };
}

export function viewerTable(figures: ViewerFigures): string {
  return table(['figure', `median of ${ROUNDS}`], [
    ['viewer_url opened → first frame', `${fmt(figures.firstFrameMs)} ms`],
    ['click step sent → frame showing it', `${fmt(figures.stepToFrameMs)} ms`],
    ['session_stop, not recorded', `${fmt(figures.stopPlainMs)} ms`],
    ['session_stop, recorded (trace saved, MP4 finished)', `${fmt(figures.stopRecordedMs)} ms`],
    ['trace.zip of a ~3 s session', `${fmt(figures.traceKb)} KiB`],
    ['replay.mp4 of it', `${fmt(figures.videoKb)} KiB, ${fmt(figures.videoSeconds, 1)} s`],
  ]);
}
