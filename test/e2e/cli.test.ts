import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { OPTIONS } from '../../src/config.js';
import { chromiumPath } from '../fixtures/chromium.js';
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
    const stderr = String((bad as { stderr: string }).stderr); // execFile rejects with stderr attached
    expect(stderr).toContain('--max-sessions');
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits non-zero with one line and the install hint when there is no browser at --executable-path', async () => {
    const failed = await run(process.execPath, [CLI, '--executable-path', '/nonexistent/chromium']).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 1 });
    const stderr = String((failed as { stderr: string }).stderr); // execFile rejects with stderr attached
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^browser-session-mcp: No browser at --executable-path \/nonexistent\/chromium\..*apt-get install -y chromium/);
  });

  it('exits non-zero with one line when the --port is in use', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const port = (taken.address() as AddressInfo).port; // a TCP listen yields AddressInfo
    try {
      const failed = await run(process.execPath, [CLI, '--executable-path', chromiumPath(), '--port', String(port)], { timeout: 30_000 }).catch((error: unknown) => error);
      expect(failed).toMatchObject({ code: 1 });
      const stderr = String((failed as { stderr: string }).stderr); // execFile rejects with stderr attached
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(`browser-session-mcp: port ${port} on 127.0.0.1 is already in use; pick another --port`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('--version prints the package version, and the MCP server reports the same one', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }; // our own package.json
    const { stdout } = await run(process.execPath, [CLI, '--version']);
    expect(stdout.trim()).toBe(manifest.version);
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, '--executable-path', chromiumPath()], stderr: 'pipe' });
    const client = new Client({ name: 'version-check', version: '1' });
    await client.connect(transport);
    expect(client.getServerVersion()).toMatchObject({ name: 'browser-session-mcp', version: manifest.version });
    await client.close();
  });

  it('mcp.json.example gives the npx form, and its checkout form starts and lists the tools', async () => {
    const example = JSON.parse(readFileSync(new URL('../../mcp.json.example', import.meta.url), 'utf8')) as {
      mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
    }; // the file is ours; its shape is what Claude Desktop reads
    expect(example.mcpServers['browser-session']).toMatchObject({ command: 'npx', args: ['-y', 'browser-session-mcp'] });
    // The npx form needs the registry; the package test installs the same package from its tarball instead.
    const entry = example.mcpServers['browser-session-checkout'];
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
