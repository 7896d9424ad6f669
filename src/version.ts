import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'browser-session-mcp';

/**
 * The package version, read at run time from the package.json beside the build (dist/src/ → ../../) or beside the
 * sources (src/ → ../): one source for `--version` and the version the MCP server reports.
 */
function readVersion(): string {
  for (const relative of ['../../package.json', '../package.json']) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (!existsSync(path)) continue;
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown; version?: unknown }; // our own package.json
    if (manifest.name === PACKAGE_NAME && typeof manifest.version === 'string') return manifest.version;
  }
  return '0.0.0';
}

export const VERSION = readVersion();
