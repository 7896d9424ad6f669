import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { chromium } from 'playwright-core';
import { findChromium } from '../src/drivers/chromium.js';

/**
 * node dist/scripts/viewerScreenshots.js: the README's viewer screenshots, from a real session. Starts the built
 * server over stdio with --viewer, lets an "agent" search a small shop page, opens viewer_url in headless Chromium
 * and saves docs/viewer.png (agent in control) and docs/viewer-takeover.png (a person has taken over).
 */
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Demo shop</title>
<style>body{font:18px system-ui;margin:40px}table{border-collapse:collapse;margin-top:16px}td,th{border:1px solid #ccc;padding:6px 12px}</style></head><body>
<h1>Demo shop</h1><label>Search <input id="q" placeholder="Search products"></label> <button id="go">Search</button>
<table><thead><tr><th>Product</th><th>Price</th></tr></thead><tbody id="rows"></tbody></table>
<script>
  const all = [['Blue mug', 8], ['Red mug', 9], ['Blue shirt', 25]];
  const show = (q) => document.getElementById('rows').innerHTML =
    all.filter(([n]) => n.toLowerCase().includes(q.toLowerCase())).map(([n, p]) => '<tr><td>' + n + '</td><td>' + p + '</td></tr>').join('');
  show('');
  document.getElementById('go').onclick = () => show(document.getElementById('q').value);
</script></body></html>`;

async function main(): Promise<void> {
  const pages = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(pages.address() as AddressInfo).port}/`; // a TCP listen yields AddressInfo
  const cli = fileURLToPath(new URL('../src/cli.js', import.meta.url));
  const docs = fileURLToPath(new URL('../../docs/', import.meta.url));
  mkdirSync(docs, { recursive: true });

  const client = new Client({ name: 'viewer-screenshots', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [cli, '--viewer'], stderr: 'inherit' }));
  const callTool = async (name: string, args: Record<string, unknown>): Promise<CallToolResult> =>
    (await client.callTool({ name, arguments: args })) as CallToolResult; // no task requests here
  const browser = await chromium.launch({ executablePath: findChromium(undefined), headless: true });
  try {
    const started = await callTool('session_start', { url, viewport_width: 1000, viewport_height: 600 });
    const session = started.structuredContent ?? {};
    const id = String(session['session_id']);
    const viewerUrl = String(session['viewer_url']);
    await callTool('observe', { session_id: id });
    await callTool('step', { session_id: id, type: 'fill', id: 'I1', value: 'mug' });
    await callTool('step', { session_id: id, type: 'click', id: 'B1' });

    const viewer = await browser.newPage({ viewport: { width: 1400, height: 760 } });
    await viewer.goto(viewerUrl);
    await viewer.waitForFunction(() => document.querySelectorAll('#steps li').length >= 3 && (document.getElementById('frame') as HTMLImageElement | null)?.src.startsWith('data:') === true);
    await viewer.waitForTimeout(500);
    await viewer.screenshot({ path: `${docs}viewer.png` });
    await viewer.locator('#take').click();
    await viewer.waitForFunction(() => document.getElementById('status')?.textContent === 'you are in control');
    await viewer.screenshot({ path: `${docs}viewer-takeover.png` });
    await viewer.locator('#back').click();
    await callTool('session_stop', { session_id: id });
    console.log(`wrote ${docs}viewer.png and ${docs}viewer-takeover.png`);
  } finally {
    await browser.close();
    await client.close();
    pages.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
