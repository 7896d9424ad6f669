import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { CAP_NAMES, TOOL } from './notte/toolNames.js';

/**
 * Every flag of the CLI, as data: parsing, `--help` and the README's configuration table come from this list,
 * so they cannot drift apart.
 */
export interface OptionSpec {
  flag: string;
  env: string;
  kind: 'string' | 'int' | 'bool' | 'list';
  default: string;
  description: string;
  /** Test-only knobs are documented but marked as such. */
  testOnly?: boolean;
  /** How a list env var splits: at commas, or before each `--flag` (Chromium flags may hold commas). */
  split?: 'comma' | 'flags';
}

export const OPTIONS = [
  { flag: 'port', env: 'BROWSER_SESSION_MCP_PORT', kind: 'int', default: '', description: 'Serve Streamable HTTP on this port (at /mcp, plus GET /healthz) instead of stdio. 0 picks a free port.' },
  { flag: 'host', env: 'BROWSER_SESSION_MCP_HOST', kind: 'string', default: '127.0.0.1', description: 'Address the HTTP server binds.' },
  { flag: 'allowed-hosts', env: 'BROWSER_SESSION_MCP_ALLOWED_HOSTS', kind: 'list', default: '', description: 'Extra Host/Origin host names accepted over HTTP (comma-separated); the bound address, localhost and 127.0.0.1 always are.' },
  { flag: 'auth-token', env: 'BROWSER_SESSION_MCP_AUTH_TOKEN', kind: 'string', default: '', description: 'When set, HTTP requests need `Authorization: Bearer <token>`.' },
  { flag: 'client-timeout', env: 'BROWSER_SESSION_MCP_CLIENT_TIMEOUT', kind: 'int', default: '300', description: 'Seconds an HTTP conversation may stay silent before it is closed and its sessions stopped.' },
  { flag: 'max-sessions', env: 'BROWSER_SESSION_MCP_MAX_SESSIONS', kind: 'int', default: '16', description: 'Active browser sessions allowed on the whole server.' },
  { flag: 'max-sessions-per-client', env: 'BROWSER_SESSION_MCP_MAX_SESSIONS_PER_CLIENT', kind: 'int', default: '5', description: 'Active browser sessions allowed per conversation.' },
  { flag: 'backend', env: 'BROWSER_SESSION_MCP_BACKEND', kind: 'string', default: 'local', description: 'Where sessions run: `local` (Chromium on this machine) or `notte` (the Notte API at --notte-api-url, with the key from the NOTTE_API_KEY env var).' },
  { flag: 'notte-api-url', env: 'NOTTE_API_URL', kind: 'string', default: 'https://api.notte.cc', description: 'The Notte API for --backend notte: Notte\'s cloud, or any server speaking it (such as this one with --rest).' },
  { flag: 'executable-path', env: 'BROWSER_SESSION_MCP_EXECUTABLE_PATH', kind: 'string', default: '', description: 'Chromium or Chrome binary. Default: the first of the usual install locations that exists.' },
  { flag: 'browser-arg', env: 'BROWSER_SESSION_MCP_BROWSER_ARGS', kind: 'list', default: '', split: 'flags', description: 'Extra Chromium flag for every browser the server launches (repeat the flag; in the env var, space-separate whole --flags).' },
  { flag: 'output-dir', env: 'BROWSER_SESSION_MCP_OUTPUT_DIR', kind: 'string', default: '', description: 'Folder for per-session downloads. Default: a fresh folder under the system temp dir.' },
  { flag: 'data-dir', env: 'BROWSER_SESSION_MCP_DATA_DIR', kind: 'string', default: '', description: 'Folder for what outlives a session: profiles/, vaults/ and recordings/ under it. Default: $XDG_STATE_HOME/browser-session-mcp (~/.local/state/browser-session-mcp).' },
  { flag: 'vault-key-file', env: 'BROWSER_SESSION_MCP_VAULT_KEY_FILE', kind: 'string', default: '', description: 'File holding the 32-byte vault key (base64 or hex); it must be mode 0600. BROWSER_SESSION_MCP_VAULT_KEY (the key itself) wins over it. Without either, vault_id is refused with E_VAULT_KEY.' },
  { flag: 'storage-max-bytes', env: 'BROWSER_SESSION_MCP_STORAGE_MAX_BYTES', kind: 'int', default: '2097152', description: `Largest file ${TOOL.storageRead} returns and ${TOOL.storageWrite} takes, in bytes (base64 makes a file a third bigger on the wire, and --max-request-bytes still caps a request).` },
  { flag: 'keep-storage', env: 'BROWSER_SESSION_MCP_KEEP_STORAGE', kind: 'bool', default: 'false', description: 'Keep a session\'s storage folder (downloads/, uploads/) under the output dir after it ends; by default it is removed with the session.' },
  { flag: 'upload-root', env: 'BROWSER_SESSION_MCP_UPLOAD_ROOTS', kind: 'list', default: '', description: 'Folders upload_file may read from (repeatable), besides the session\'s own storage (uploads/, downloads/). Default: the working directory.' },
  { flag: 'allow-local-urls', env: 'BROWSER_SESSION_MCP_ALLOW_LOCAL_URLS', kind: 'bool', default: 'false', description: 'Allow file:, chrome:, view-source: and similar URLs in goto and friends.' },
  { flag: 'start-timeout', env: 'BROWSER_SESSION_MCP_START_TIMEOUT', kind: 'int', default: '45', description: `Seconds a ${TOOL.start} may wait for its browser (in line behind other starts, then launching) before it fails with E_START_TIMEOUT; below the MCP SDK client's 60 s request timeout, so the client hears why.` },
  { flag: 'observe-timeout', env: 'BROWSER_SESSION_MCP_OBSERVE_TIMEOUT', kind: 'int', default: '45', description: `Seconds an ${TOOL.observe} call may take (opening its url included). Past that it answers E_PAGE_UNRESPONSIVE saying what the page is doing, and a stuck tab is replaced.` },
  { flag: 'step-timeout', env: 'BROWSER_SESSION_MCP_STEP_TIMEOUT', kind: 'int', default: '90', description: `Seconds a ${TOOL.step} call may take (the action and the wait for what it caused). Past that as for --observe-timeout.` },
  { flag: 'scrape-timeout', env: 'BROWSER_SESSION_MCP_SCRAPE_TIMEOUT', kind: 'int', default: '90', description: `Seconds a ${TOOL.scrape} call may take (a structured answer from the client's model included). Past that as for --observe-timeout.` },
  { flag: 'no-evaluate', env: 'BROWSER_SESSION_MCP_NO_EVALUATE', kind: 'bool', default: 'false', description: `Turn the evaluate_js action off for every client (MCP and REST): it runs any script in the page. ${TOOL.step} then says so in its description and refuses it with E_ACTION_DISABLED.` },
  { flag: 'allow-chrome-args', env: 'BROWSER_SESSION_MCP_ALLOW_CHROME_ARGS', kind: 'bool', default: 'false', description: 'Trust every client with any chrome_args switch (default: only harmless ones such as --window-size, --lang, vetted --enable-features). Switches that run programs, open a debugging port, load extensions, pick a profile folder or disable web security stay refused.' },
  { flag: 'block-private-networks', env: 'BROWSER_SESSION_MCP_BLOCK_PRIVATE_NETWORKS', kind: 'bool', default: 'false', description: 'Refuse navigation and requests to loopback, private, link-local and other non-public addresses (also host names that resolve to them): for servers whose clients are remote users.' },
  { flag: 'max-request-bytes', env: 'BROWSER_SESSION_MCP_MAX_REQUEST_BYTES', kind: 'int', default: '4194304', description: 'Largest JSON-RPC message accepted, in bytes: a bigger HTTP body answers 413, a longer stdio line an error for its id; the server keeps serving.' },
  { flag: 'rest', env: 'BROWSER_SESSION_MCP_REST', kind: 'bool', default: 'false', description: 'Also serve the Notte Sessions REST API (POST /sessions/start, …) on the HTTP server, so Notte\'s SDKs can use it (NOTTE_API_URL). Needs --port and at least one API key.' },
  { flag: 'rest-api-key', env: 'BROWSER_SESSION_MCP_REST_API_KEYS', kind: 'list', default: '', description: 'An API key the REST API accepts as `Authorization: Bearer <key>` (repeatable; comma-separated in the env var). Each key is an owner of its own sessions. Default: --auth-token.' },
  { flag: 'rest-api-keys-file', env: 'BROWSER_SESSION_MCP_REST_API_KEYS_FILE', kind: 'string', default: '', description: 'A file of REST API keys, one per line (# comments allowed).' },
  { flag: 'cdp-endpoint', env: 'BROWSER_SESSION_MCP_CDP_ENDPOINT', kind: 'string', default: '', description: 'Send every session to this remote browser (ws(s)://…/devtools/browser/… or http(s)://host:port) instead of launching Chromium here; each session gets a context of its own.' },
  { flag: 'selenium-grid', env: 'BROWSER_SESSION_MCP_SELENIUM_GRID', kind: 'string', default: '', description: 'Selenium Grid 4 router (e.g. http://grid:4444): one Grid session per browser session, driven over its se:cdp WebSocket and deleted when ours ends. --executable-path, if set, is the binary on the nodes.' },
  { flag: 'expose-cdp', env: 'BROWSER_SESSION_MCP_EXPOSE_CDP', kind: 'bool', default: 'false', description: 'Give every session a browser of its own with its CDP port on 127.0.0.1 and its WebSocket in the response\'s cdp_url (per session: expose_cdp).' },
  { flag: 'refuse-cdp-url', env: 'BROWSER_SESSION_MCP_REFUSE_CDP_URL', kind: 'bool', default: 'false', description: 'Refuse a client\'s cdp_url (by default a client may name any browser this server can reach; under --block-private-networks only public ones).' },
  { flag: 'viewer', env: 'BROWSER_SESSION_MCP_VIEWER', kind: 'bool', default: 'false', description: 'Over stdio, serve each session\'s live viewer (viewer_url) on an ephemeral 127.0.0.1 port. Over HTTP the viewer is always served, at /viewer/<token>.' },
  { flag: 'viewer-read-only', env: 'BROWSER_SESSION_MCP_VIEWER_READ_ONLY', kind: 'bool', default: 'false', description: 'Viewers may watch but not take over (no clicks or typing).' },
  { flag: 'viewer-max-clients', env: 'BROWSER_SESSION_MCP_VIEWER_MAX_CLIENTS', kind: 'int', default: '3', description: 'Viewers watching one session at once; more get 429.' },
  { flag: 'record', env: 'BROWSER_SESSION_MCP_RECORD', kind: 'bool', default: 'false', description: 'Record every session (as if started with recording: true): a Playwright trace.zip and, with ffmpeg installed, an MP4, under <data-dir>/recordings/.' },
  { flag: 'recordings-ttl', env: 'BROWSER_SESSION_MCP_RECORDINGS_TTL', kind: 'int', default: '86400', description: 'Seconds a recording is kept after its session ended, then removed.' },
  { flag: 'caps', env: 'BROWSER_SESSION_MCP_CAPS', kind: 'list', default: '', description: `Extra tool groups to list beside the session loop (comma-separated or repeated): \`cookies\` (${TOOL.cookiesGet}/set), \`profiles\` (${TOOL.profileList}/delete), \`storage\` (${TOOL.storageList}/read/write), \`replay\` (${TOOL.replay}), or \`all\`. Each costs the model tokens on every turn; --record turns on \`replay\`.` },
  { flag: 'log-level', env: 'BROWSER_SESSION_MCP_LOG_LEVEL', kind: 'string', default: 'info', description: 'debug, info, warn or error. Logs go to stderr.' },
  { flag: 'minute-ms', env: 'BROWSER_SESSION_MCP_MINUTE_MS', kind: 'int', default: '60000', testOnly: true, description: 'Test-only: how many milliseconds one minute of idle_timeout_minutes / max_duration_minutes lasts, so timeouts can be tested in seconds.' },
] as const satisfies readonly OptionSpec[];

export type OptionName = (typeof OPTIONS)[number]['flag'];

export const ConfigSchema = z.object({
  port: z.number().int().min(0).max(65535).optional(),
  host: z.string().min(1),
  allowedHosts: z.array(z.string()),
  authToken: z.string().optional(),
  clientTimeoutSeconds: z.number().int().positive(),
  maxSessions: z.number().int().positive(),
  maxSessionsPerClient: z.number().int().positive(),
  backend: z.enum(['local', 'notte']),
  notteApiUrl: z.url({ protocol: /^https?$/ }),
  executablePath: z.string().optional(),
  browserArgs: z.array(z.string()),
  outputDir: z.string().optional(),
  dataDir: z.string().min(1),
  vaultKeyFile: z.string().optional(),
  uploadRoots: z.array(z.string()),
  storageMaxBytes: z.number().int().positive(),
  keepStorage: z.boolean(),
  allowLocalUrls: z.boolean(),
  startTimeoutSeconds: z.number().int().positive(),
  observeTimeoutSeconds: z.number().int().positive(),
  stepTimeoutSeconds: z.number().int().positive(),
  scrapeTimeoutSeconds: z.number().int().positive(),
  noEvaluate: z.boolean(),
  allowChromeArgs: z.boolean(),
  blockPrivateNetworks: z.boolean(),
  maxRequestBytes: z.number().int().min(1024),
  rest: z.boolean(),
  restApiKeys: z.array(z.string()),
  restApiKeysFile: z.string().optional(),
  cdpEndpoint: z.string().optional(),
  seleniumGrid: z.string().optional(),
  exposeCdp: z.boolean(),
  refuseCdpUrl: z.boolean(),
  viewer: z.boolean(),
  viewerReadOnly: z.boolean(),
  viewerMaxClients: z.number().int().positive(),
  record: z.boolean(),
  recordingsTtlSeconds: z.number().int().positive(),
  caps: z.array(z.enum(CAP_NAMES)),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']),
  minuteMs: z.number().int().positive(),
});

export type Config = z.infer<typeof ConfigSchema>;

type RawValues = Partial<Record<OptionName, string | string[] | boolean>>;

function splitList(value: string, split: 'comma' | 'flags'): string[] {
  const parts = split === 'flags' ? value.split(/\s+(?=--)/) : value.split(',');
  return parts.map((item) => item.trim()).filter((item) => item !== '');
}

function pick(raw: RawValues, env: NodeJS.ProcessEnv, spec: OptionSpec): string | string[] | boolean {
  const fromFlag = raw[spec.flag as OptionName];
  if (fromFlag !== undefined) return fromFlag;
  const fromEnv = env[spec.env];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (spec.kind === 'list') return splitList(fromEnv, spec.split ?? 'comma');
    if (spec.kind === 'bool') return fromEnv === 'true' || fromEnv === '1';
    return fromEnv;
  }
  if (spec.kind === 'list') return [];
  if (spec.kind === 'bool') return spec.default === 'true';
  return spec.default;
}

function toInt(flag: string, value: string | string[] | boolean): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`--${flag} takes a whole number, got "${value}"`);
  return Number(value);
}

/** Repeated flags are already one value each; only env vars were split (in pick). */
function toList(value: string | string[] | boolean): string[] {
  if (Array.isArray(value)) return value.map((item) => item.trim()).filter((item) => item !== '');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

function toOptionalString(value: string | string[] | boolean): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `all` is every group; `--record` makes recordings, so the tool that hands them out comes with it. */
function toCaps(named: string[], record: boolean): string[] {
  const caps = named.includes('all') ? [...CAP_NAMES] : named;
  return [...new Set(record ? [...caps, 'replay'] : caps)];
}

/** The XDG state dir: profiles and vaults are state a person keeps, not a cache to throw away. */
export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const state = env['XDG_STATE_HOME'];
  const base = state !== undefined && state !== '' ? state : join(env['HOME'] ?? homedir(), '.local', 'state');
  return join(base, 'browser-session-mcp');
}

/** Flags win over env vars, env vars over defaults. Throws with the flag's name when a value is off. */
export function resolveConfig(raw: RawValues, env: NodeJS.ProcessEnv = process.env): Config {
  const value = (flag: OptionName): string | string[] | boolean => {
    const spec = OPTIONS.find((option) => option.flag === flag);
    if (spec === undefined) throw new Error(`unknown option ${flag}`);
    return pick(raw, env, spec);
  };
  const parsed = ConfigSchema.safeParse({
    port: toInt('port', value('port')),
    host: toOptionalString(value('host')) ?? '127.0.0.1',
    allowedHosts: toList(value('allowed-hosts')),
    authToken: toOptionalString(value('auth-token')),
    clientTimeoutSeconds: toInt('client-timeout', value('client-timeout')),
    maxSessions: toInt('max-sessions', value('max-sessions')),
    maxSessionsPerClient: toInt('max-sessions-per-client', value('max-sessions-per-client')),
    backend: toOptionalString(value('backend')) ?? 'local',
    notteApiUrl: toOptionalString(value('notte-api-url')) ?? 'https://api.notte.cc',
    executablePath: toOptionalString(value('executable-path')),
    browserArgs: toList(value('browser-arg')),
    outputDir: toOptionalString(value('output-dir')),
    dataDir: toOptionalString(value('data-dir')) ?? defaultDataDir(env),
    vaultKeyFile: toOptionalString(value('vault-key-file')),
    uploadRoots: toList(value('upload-root')),
    storageMaxBytes: toInt('storage-max-bytes', value('storage-max-bytes')),
    keepStorage: value('keep-storage') === true,
    allowLocalUrls: value('allow-local-urls') === true,
    startTimeoutSeconds: toInt('start-timeout', value('start-timeout')),
    observeTimeoutSeconds: toInt('observe-timeout', value('observe-timeout')),
    stepTimeoutSeconds: toInt('step-timeout', value('step-timeout')),
    scrapeTimeoutSeconds: toInt('scrape-timeout', value('scrape-timeout')),
    noEvaluate: value('no-evaluate') === true,
    allowChromeArgs: value('allow-chrome-args') === true,
    blockPrivateNetworks: value('block-private-networks') === true,
    maxRequestBytes: toInt('max-request-bytes', value('max-request-bytes')),
    rest: value('rest') === true,
    restApiKeys: toList(value('rest-api-key')),
    restApiKeysFile: toOptionalString(value('rest-api-keys-file')),
    cdpEndpoint: toOptionalString(value('cdp-endpoint')),
    seleniumGrid: toOptionalString(value('selenium-grid')),
    exposeCdp: value('expose-cdp') === true,
    refuseCdpUrl: value('refuse-cdp-url') === true,
    viewer: value('viewer') === true,
    viewerReadOnly: value('viewer-read-only') === true,
    viewerMaxClients: toInt('viewer-max-clients', value('viewer-max-clients')),
    record: value('record') === true,
    recordingsTtlSeconds: toInt('recordings-ttl', value('recordings-ttl')),
    caps: toCaps(toList(value('caps')).flatMap((item) => splitList(item, 'comma')), value('record') === true),
    logLevel: toOptionalString(value('log-level')) ?? 'info',
    minuteMs: toInt('minute-ms', value('minute-ms')),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid configuration: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  if (parsed.data.rest && parsed.data.port === undefined) throw new Error('invalid configuration: --rest serves the REST API on the HTTP server; add --port');
  return parsed.data;
}

export function helpText(): string {
  const lines = [
    'browser-session-mcp: an MCP server that gives AI agents real browser sessions.',
    '',
    'Usage: browser-session-mcp [options]          serve MCP over stdio',
    '       browser-session-mcp --port N [options] serve Streamable HTTP at /mcp',
    '       browser-session-mcp vault <command>    manage credential vaults (vault --help)',
    '',
    'Options (flag, env var, default):',
  ];
  for (const option of OPTIONS) {
    const kind = option.kind === 'bool' ? '' : option.kind === 'list' ? ' <value>…' : ' <value>';
    const fallback = option.default === '' ? 'none' : option.default;
    lines.push(`  --${option.flag}${kind}`);
    lines.push(`      ${option.description}`);
    lines.push(`      env ${option.env}, default ${fallback}`);
  }
  lines.push('  --version', '      Print the version.', '  --help', '      Show this help.');
  return lines.join('\n');
}
