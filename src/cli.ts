#!/usr/bin/env node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { OPTIONS, helpText, resolveConfig } from './config.js';
import type { Config } from './config.js';
import { findChromium } from './drivers/chromium.js';
import { routeBackends } from './drivers/backends.js';
import type { Driver } from './drivers/driver.js';
import { LocalDriver } from './drivers/local.js';
import { notteDriverFrom } from './drivers/notte/fromConfig.js';
import { BsmError, errorMessage } from './errors.js';
import { startHttp } from './http.js';
import { log, setLogLevel } from './log.js';
import { createServer } from './server.js';
import { SessionRegistry } from './sessions/registry.js';
import { ProfileStore } from './stores/profileStore.js';
import { GuardedStdioTransport } from './stdioTransport.js';
import { VERSION } from './version.js';
import { runVaultCli, vaultStore } from './vault/cli.js';
import { viewerRuntime } from './viewer/setup.js';

/** Signals and EOF must end the process within 5 s even when a browser does not answer. */
const SHUTDOWN_DEADLINE_MS = 4_000;

/**
 * A start-up failure: one line on stderr that says what is wrong and what to do, and a non-zero exit. Nothing was
 * started yet (or only the listener that failed), so there is nothing to clean up.
 */
function fatal(message: string, code = 1): never {
  process.stderr.write(`browser-session-mcp: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(code);
}

/** The listener's own errors, in the words of the flag that caused them. */
function listenFailure(error: unknown, config: Config): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'EADDRINUSE') return `port ${config.port} on ${config.host} is already in use; pick another --port (0 picks a free one).`;
  if (code === 'EACCES') return `no permission to listen on ${config.host}:${config.port}; pick a --port above 1023.`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `cannot listen on --host ${config.host}: no such local address.`;
  return `could not start the HTTP server: ${errorMessage(error)}`;
}

function parseCli(argv: string[]): Config | 'help' | 'version' {
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } };
  for (const option of OPTIONS) {
    options[option.flag] = option.kind === 'bool' ? { type: 'boolean' } : { type: 'string', multiple: option.kind === 'list' };
  }
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  if (values['help'] === true) return 'help';
  if (values['version'] === true) return 'version';
  const raw: Record<string, string | string[] | boolean> = {};
  for (const [flag, value] of Object.entries(values)) {
    if (value !== undefined) raw[flag] = Array.isArray(value) ? value.map(String) : value;
  }
  return resolveConfig(raw);
}

async function main(): Promise<void> {
  // `browser-session-mcp vault …` manages vaults and exits; it never starts a server.
  if (process.argv[2] === 'vault') return runVaultCli(process.argv.slice(3));
  let config: Config | 'help' | 'version';
  try {
    config = parseCli(process.argv.slice(2));
  } catch (error: unknown) {
    fatal(`${errorMessage(error)} (browser-session-mcp --help lists the options)`, 2);
  }
  if (config === 'help') {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  if (config === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  setLogLevel(config.logLevel);
  // A server that can never launch a browser would fail every session_start: say so now, once.
  try {
    // With a remote engine for every session, a local Chromium is only needed for expose_cdp.
    if (config.backend === 'local' && config.cdpEndpoint === undefined && config.seleniumGrid === undefined) findChromium(config.executablePath);
  } catch (error: unknown) {
    fatal(error instanceof BsmError ? `${error.message} ${error.hint}` : errorMessage(error));
  }
  const outputDir = resolve(config.outputDir ?? mkdtempSync(join(tmpdir(), 'browser-session-mcp-')));
  // Each session also reads its own storage folder; the whole output dir would let it reach other sessions' files.
  const uploadRoots = (config.uploadRoots.length > 0 ? config.uploadRoots : [process.cwd()]).map((root) => resolve(root));
  const pageOptions = { uploadRoots, allowLocalUrls: config.allowLocalUrls, blockPrivateNetworks: config.blockPrivateNetworks, callLimits: { observeMs: config.observeTimeoutSeconds * 1000, stepMs: config.stepTimeoutSeconds * 1000, scrapeMs: config.scrapeTimeoutSeconds * 1000 } };
  const local = config.backend === 'local' ? new LocalDriver({ executablePath: config.executablePath, browserArgs: config.browserArgs, allowChromeArgs: config.allowChromeArgs, ...pageOptions }) : undefined;
  let driver: Driver;
  try {
    driver = local !== undefined ? routeBackends(config, local, pageOptions) : notteDriverFrom(config, process.env);
  } catch (error: unknown) {
    fatal(error instanceof BsmError ? `${error.message} ${error.hint}`.trim() : errorMessage(error), 2);
  }
  const viewer = viewerRuntime(config);
  const registry = new SessionRegistry(driver, { maxSessions: config.maxSessions, maxSessionsPerClient: config.maxSessionsPerClient, minuteMs: config.minuteMs, outputDir, state: { profiles: new ProfileStore(join(config.dataDir, 'profiles')), keepStorage: config.keepStorage, storageMaxBytes: config.storageMaxBytes }, startTimeoutMs: config.startTimeoutSeconds * 1000, disabledActions: config.noEvaluate ? ['evaluate_js'] : [], vaults: vaultStore(config), attach: (id, request, opened) => viewer.attach(id, request, opened), prepare: (request) => viewer.prepare(request) });

  let closeTransport: () => Promise<void> = async () => undefined;
  let shuttingDown = false;
  const shutdown = (why: string): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    log('info', 'shutting down', { why });
    setTimeout(() => process.exit(0), SHUTDOWN_DEADLINE_MS).unref();
    void (async () => {
      await closeTransport().catch((error: unknown) => log('warn', 'closing the transport failed', { error: errorMessage(error) }));
      await registry.shutdown().catch((error: unknown) => log('warn', 'closing browsers failed', { error: errorMessage(error) }));
      await viewer.close();
      // A temp output dir is ours alone; an --output-dir belongs to the operator.
      if (config.outputDir === undefined) rmSync(outputDir, { recursive: true, force: true });
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
  // A browser quirk must not take every other session down with the process.
  process.on('unhandledRejection', (reason) => log('error', 'unhandled rejection', { error: errorMessage(reason) }));
  process.on('uncaughtException', (error) => log('error', 'uncaught exception', { error: errorMessage(error), stack: error.stack }));

  // After the handshake and the first tools/list, which must not wait for it.
  if (local !== undefined) setTimeout(() => local.prewarm(), 1_000).unref();

  if (config.port !== undefined) {
    const http = await startHttp(config, registry, viewer).catch((error: unknown) => fatal(listenFailure(error, config)));
    viewer.setBaseUrl(new URL(http.url).origin);
    closeTransport = () => http.close();
    log('info', `listening on ${http.url}`);
    return;
  }
  if (config.viewer) log('info', `viewer listening on ${await viewer.listen()}`);
  const server = createServer(registry, 'stdio', config.caps);
  const transport = new GuardedStdioTransport({ maxBytes: config.maxRequestBytes });
  closeTransport = () => server.close();
  // The client closing our stdin is how a stdio conversation ends, whatever it sent before.
  process.stdin.once('end', () => shutdown('stdin closed'));
  process.stdin.once('close', () => shutdown('stdin closed'));
  await server.connect(transport);
  log('info', 'serving MCP over stdio');
}

main().catch((error: unknown) => fatal(`could not start: ${errorMessage(error)}`));
