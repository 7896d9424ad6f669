import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../fixtures/chromium.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'bsm-package-'));

interface LockEntry {
  version?: string;
  dev?: boolean;
  license?: string;
  dependencies?: Record<string, string>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
}

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** The repository as a clean clone has it (tracked and new, unignored files), with our node_modules linked in. */
async function cleanCopy(): Promise<string> {
  const copy = join(work, 'clone');
  const { stdout } = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  for (const file of stdout.split('\0').filter((name) => name !== '')) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(ROOT, file), join(copy, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

/**
 * Installs the tarball into a fresh prefix without the network: a lockfile that pins our own dependencies (from
 * package-lock.json) lets `npm ci --offline` take every one from the npm cache; the package comes from the tarball.
 */
async function installOffline(tarball: string): Promise<string> {
  const prefix = join(work, 'prefix');
  mkdirSync(prefix);
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }; // npm's lockfile v3
  const root = lock.packages[''] ?? {};
  const packages: Record<string, LockEntry & { resolved?: string }> = {};
  for (const [path, entry] of Object.entries(lock.packages)) if (path.startsWith('node_modules/') && entry.dev !== true) packages[path] = entry;
  const spec = `file:${tarball}`;
  packages['node_modules/browser-session-mcp'] = { version: root.version ?? '', resolved: spec, dependencies: root.dependencies ?? {}, bin: root.bin ?? {}, engines: root.engines ?? {} };
  writeFileSync(join(prefix, 'package.json'), JSON.stringify({ name: 'install-check', private: true, dependencies: { 'browser-session-mcp': spec } }));
  writeFileSync(join(prefix, 'package-lock.json'), JSON.stringify({ name: 'install-check', lockfileVersion: 3, requires: true, packages: { '': { name: 'install-check', dependencies: { 'browser-session-mcp': spec } }, ...packages } }));
  await run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: prefix, timeout: 240_000 });
  return join(prefix, 'node_modules', '.bin', 'browser-session-mcp');
}

describe('the npm package', () => {
  it('packs from a clean clone (prepack builds), holds only what the bin needs, installs and serves MCP over stdio', { timeout: 600_000 }, async () => {
    const copy = await cleanCopy();
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: copy, timeout: 400_000, maxBuffer: 16 * 1024 * 1024 });
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>; // npm pack --json's shape
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }; // our package.json
    expect(packed?.filename).toBe(`browser-session-mcp-${manifest.version}.tgz`);
    const files = (packed?.files ?? []).map((file) => file.path);
    expect(files).toContain('dist/src/cli.js');
    expect(files).toContain('dist/src/page/injected/walkFrame.js');
    expect(files.filter((file) => !(file === 'package.json' || file === 'README.md' || file === 'LICENSE' || /^dist\/src\/.+\.js$/.test(file)))).toEqual([]);

    const bin = await installOffline(join(work, packed?.filename ?? ''));
    const version = await run(bin, ['--version']);
    expect(version.stdout.trim()).toBe(manifest.version);
    const transport = new StdioClientTransport({ command: bin, args: ['--executable-path', chromiumPath()], stderr: 'pipe' });
    const client = new Client({ name: 'installed-package', version: '1' });
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['session_start', 'observe', 'step', 'scrape', 'session_status', 'session_list', 'session_stop']);
    expect(client.getServerVersion()?.version).toBe(manifest.version);
    await client.close();
  });
});
