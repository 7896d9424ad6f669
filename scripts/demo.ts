import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * npm run demo: starts the built server over stdio, as an MCP client would, and runs the agent loop on a small shop
 * page served from 127.0.0.1: session_start → observe → step (fill, click) → observe → scrape → session_stop.
 */
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Demo shop</title></head><body>
<nav><a href="/">Home</a> <a href="/help">Help</a></nav>
<h1>Demo shop</h1>
<label>Search <input id="q" placeholder="Search products"></label> <button id="go">Search</button>
<table><thead><tr><th>Product</th><th>Price</th></tr></thead><tbody id="rows"></tbody></table>
<script>
  const all = [['Blue mug', 8], ['Red mug', 9], ['Blue shirt', 25]];
  const show = (q) => document.getElementById('rows').innerHTML =
    all.filter(([n]) => n.toLowerCase().includes(q.toLowerCase())).map(([n, p]) => '<tr><td>' + n + '</td><td>' + p + '</td></tr>').join('');
  show('');
  document.getElementById('go').onclick = () => show(document.getElementById('q').value);
</script></body></html>`;

function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('\n');
}

async function main(): Promise<void> {
  const pages = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(pages.address() as AddressInfo).port}/`; // a TCP listen yields AddressInfo

  const cli = fileURLToPath(new URL('../src/cli.js', import.meta.url));
  const client = new Client({ name: 'demo', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [cli], stderr: 'inherit' }));
  const callTool = async (name: string, args: Record<string, unknown>): Promise<CallToolResult> => {
    console.log(`\n▶ ${name} ${JSON.stringify(args)}`);
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult; // no task requests in this demo
    console.log(textOf(result));
    if (result.isError === true) throw new Error(`${name} failed`);
    return result;
  };

  try {
    const started = await callTool('session_start', { url });
    const sessionId = String(started.structuredContent?.['session_id']);
    await callTool('observe', { session_id: sessionId });
    await callTool('step', { session_id: sessionId, type: 'fill', id: 'I1', value: 'mug' });
    await callTool('step', { session_id: sessionId, type: 'click', id: 'B1' });
    await callTool('scrape', { session_id: sessionId, response_format: { type: 'array', items: { type: 'object', properties: { product: { type: 'string' }, price: { type: 'number' } } } } });
    await callTool('session_stop', { session_id: sessionId });
  } finally {
    await client.close();
    pages.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
