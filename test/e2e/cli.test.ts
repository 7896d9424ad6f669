import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { OPTIONS } from '../../src/config.js';
import { CLI } from './harness.js';

const run = promisify(execFile);

describe('the CLI', () => {
  it('--help lists every flag with its env var and default', async () => {
    const { stdout } = await run(process.execPath, [CLI, '--help']);
    for (const option of OPTIONS) {
      expect(stdout).toContain(`--${option.flag}`);
      expect(stdout).toContain(option.env);
    }
    expect(stdout).toContain('default 300'); // --client-timeout
    expect(stdout).toContain('default 16'); // --max-sessions
  });

  it('refuses an unknown flag and a bad value with exit code 2, naming them', async () => {
    const unknown = await run(process.execPath, [CLI, '--no-such-flag']).catch((error: unknown) => error);
    expect(unknown).toMatchObject({ code: 2 });
    expect(String((unknown as { stderr: string }).stderr)).toContain('--no-such-flag'); // execFile rejects with stderr attached
    const bad = await run(process.execPath, [CLI, '--max-sessions', 'many']).catch((error: unknown) => error);
    expect(bad).toMatchObject({ code: 2 });
    expect(String((bad as { stderr: string }).stderr)).toContain('--max-sessions');
  });

  it('fails loudly with the install hint when the browser is missing', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, '--executable-path', '/nonexistent/chromium'], stderr: 'pipe' });
    const client = new Client({ name: 'missing-browser', version: '1' });
    await client.connect(transport);
    const result = await client.callTool({ name: 'session_start', arguments: {} });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/E_BROWSER_LAUNCH.*apt-get install -y chromium/);
    await client.close();
  });

  it('starts from the Claude Desktop block in mcp.json.example', async () => {
    const example = JSON.parse(readFileSync(new URL('../../mcp.json.example', import.meta.url), 'utf8')) as {
      mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
    }; // the file is ours; its shape is what Claude Desktop reads
    const entry = example.mcpServers['browser-session'];
    expect(entry?.command).toBe('node');
    const args = (entry?.args ?? []).map((arg) => (arg.endsWith('dist/src/cli.js') ? CLI : arg));
    const transport = new StdioClientTransport({ command: process.execPath, args, env: { ...process.env, ...entry?.env } as Record<string, string>, stderr: 'pipe' }); // process.env values are strings or undefined; undefined ones are dropped by spawn
    const client = new Client({ name: 'claude-desktop-like', version: '1' });
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['session_start', 'session_stop']));
    await client.close();
  });
});
