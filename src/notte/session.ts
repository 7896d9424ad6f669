import { z } from 'zod';
import { MAX_ID, MAX_ITEMS, MAX_NAME, MAX_TEXT, MAX_URL, UNADVERTISED } from './limits.js';
import { SessionProfile, cookiesArg } from './state.js';
import { TOOL } from './toolNames.js';

/**
 * Ids are server-minted UUIDs. No pattern on the wire (it would be repeated in six tools' schemas): a wrong id
 * gets the same "not found" answer as an unknown one, and the length cap keeps a huge one from costing anything.
 */
export const sessionIdArg = z.string().max(MAX_ID).describe(`From ${TOOL.start}.`);

const EXTERNAL_PROXY_FIELDS = new Set(['type', 'server', 'username', 'password', 'bypass']);

/**
 * One proxy entry, as one object rather than Notte's three-way union (a third of session_start's listing): only
 * `external` runs locally and is checked field for field; `notte` and `tailnet` are refused with E_NOT_SUPPORTED
 * (sessions/unsupported.ts), so their own fields pass unchecked.
 */
const ProxyEntry = z
  .looseObject({
    type: z.enum(['external', 'notte', 'tailnet']).describe('Only external runs locally.'),
    server: z.string().min(1).max(MAX_URL).optional().describe('external: e.g. http://host:3128.'),
    username: z.string().max(MAX_TEXT).nullish(),
    password: z.string().max(MAX_TEXT).nullish(),
    bypass: z.string().max(MAX_TEXT).nullish(),
  })
  .superRefine((proxy, ctx) => {
    if (proxy.type !== 'external') return;
    if (proxy.server === undefined) ctx.addIssue({ code: 'custom', path: ['server'], message: 'an external proxy needs server, e.g. "http://host:3128"' });
    const unknown = Object.keys(proxy).filter((key) => !EXTERNAL_PROXY_FIELDS.has(key));
    if (unknown.length > 0) ctx.addIssue({ code: 'unrecognized_keys', keys: unknown, path: [], message: 'unknown proxy fields' });
  });
export type ProxyEntry = z.infer<typeof ProxyEntry>;

/** The one proxy kind the local backend runs. */
export interface ProxySettings {
  type: 'external';
  server: string;
  username?: string | null | undefined;
  password?: string | null | undefined;
  bypass?: string | null | undefined;
}

export const BROWSER_TYPES = ['chromium', 'chrome', 'chrome-nightly', 'chrome-turbo', 'firefox'] as const;
export const SCREENSHOT_TYPES = ['raw', 'full', 'last_action'] as const;

/**
 * POST /sessions/start, field for field (names, types, defaults, ranges). Defaults follow the API reference this
 * project was created from (../shared/seeds/api-sessions-start.txt), e.g. solve_captchas=false.
 */
export const sessionStartShape = {
  headless: z.boolean().default(true).describe('false: a window, or viewer_url without a display.'),
  solve_captchas: z.boolean().default(false).meta(UNADVERTISED).describe('Not available locally.'),
  max_duration_minutes: z
    .number().int().gt(0, 'max_duration_minutes must be at least 1').lte(1440, 'max_duration_minutes is at most 1440 (24 h)')
    .default(15)
    .describe('Lifetime in minutes.'),
  idle_timeout_minutes: z
    .number().int().gt(0, 'idle_timeout_minutes must be at least 1').lte(15, 'idle_timeout_minutes is at most 15')
    .default(3)
    .describe('Ends after this many idle minutes.'),
  timeout_minutes: z.number().int().gt(0).lte(15).optional().meta(UNADVERTISED).describe('Old name of idle_timeout_minutes.'),
  proxies: z
    .union([z.boolean(), z.array(ProxyEntry).max(1, 'only one proxy is supported'), z.string().regex(/^[a-z]{2}$/)])
    .default(false)
    // Advertised in one line (the union's generated listing was a fifth of session_start's); zod still checks it all.
    .meta({ anyOf: [{ type: 'boolean' }, { type: 'array', maxItems: 1, items: { type: 'object', required: ['type'], description: '{type:"external", server, username?, password?, bypass?}' } }, { type: 'string', pattern: '^[a-z]{2}$' }] })
    .describe('false, one external proxy, or a country (Notte cloud).'),
  browser_type: z.enum(BROWSER_TYPES).default('chromium').describe('Locally: Chromium.'),
  user_agent: z.string().max(MAX_TEXT).nullish().describe('User-Agent of the session.'),
  chrome_args: z.array(z.string().max(MAX_TEXT)).max(MAX_ITEMS).nullish().describe('Extra Chromium flags.'),
  viewport_width: z.number().int().min(100).max(7680).nullish().describe('px, with viewport_height.'),
  viewport_height: z.number().int().min(100).max(4320).nullish().describe('px, with viewport_width.'),
  aspect_ratio: z.enum(['5:4', '16:9']).nullish().describe('Instead of viewport_width/height.'),
  cdp_url: z.string().max(MAX_URL).nullish().describe('A browser to drive: ws(s)://… or http(s)://host:port.'),
  cdp_headers: z.record(z.string(), z.string().max(MAX_TEXT)).nullish().describe('Headers for cdp_url, e.g. a token.'),
  expose_cdp: z.boolean().optional().describe('Own browser; its CDP WebSocket comes back as cdp_url.'),
  use_file_storage: z.boolean().default(true).describe('Allow downloads and uploads.'),
  screenshot_type: z.enum(SCREENSHOT_TYPES).default('last_action').describe(`${TOOL.observe} screenshot: full boxes all ids, last_action one.`),
  profile: SessionProfile.nullish().describe('Load saved cookies+storage.'),
  cookies: cookiesArg.nullish(),
  web_bot_auth: z.boolean().default(false).meta(UNADVERTISED).describe('Not supported yet.'),
  extra_http_headers: z.record(z.string(), z.string().max(MAX_TEXT)).nullish().describe('Sent with every request.'),
  vault_id: z.string().max(MAX_NAME).nullish().describe('Credential vault: fill its {{vault.…}} placeholders.'),
  auth_ids: z
    .array(z.string().max(MAX_NAME))
    .max(10, 'at most 10 auth_ids')
    .refine((ids) => new Set(ids).size === ids.length, 'auth_ids must not repeat')
    .default([])
    .meta(UNADVERTISED).describe('Not supported yet.'),
  wait_for_authentication: z.boolean().default(true).meta(UNADVERTISED).describe('With auth_ids.'),
  recording: z.boolean().default(false).describe(`Keep a trace and video for ${TOOL.replay}.`),
  url: z.string().max(MAX_URL).url('url must be an absolute URL, e.g. https://example.com').nullish().describe('Open this URL at once.'),
};

/**
 * The fields of Notte's own SessionStartRequest (../shared/spec/notte-api.md §1.1), `timeout_minutes` being its
 * input alias. The rest of sessionStartShape is ours: url and cookies are acted on by this server; cdp_headers,
 * expose_cdp and recording are extensions Notte's API does not know (it answers them 422 extra_forbidden).
 */
export const NOTTE_START_FIELDS = [
  'headless', 'solve_captchas', 'max_duration_minutes', 'idle_timeout_minutes', 'timeout_minutes', 'proxies', 'browser_type', 'user_agent',
  'chrome_args', 'viewport_width', 'viewport_height', 'aspect_ratio', 'cdp_url', 'use_file_storage', 'screenshot_type', 'profile',
  'web_bot_auth', 'extra_http_headers', 'vault_id', 'auth_ids', 'wait_for_authentication',
] as const satisfies readonly (keyof typeof sessionStartShape)[];
export type NotteStartField = (typeof NOTTE_START_FIELDS)[number];

interface CrossFields {
  idle_timeout_minutes: number;
  timeout_minutes?: number | undefined;
  max_duration_minutes: number;
  viewport_width?: number | null | undefined;
  viewport_height?: number | null | undefined;
  aspect_ratio?: string | null | undefined;
}

function checkCrossFields(body: CrossFields, ctx: z.core.$RefinementCtx<CrossFields>): void {
  const idle = body.timeout_minutes ?? body.idle_timeout_minutes;
  if (idle > body.max_duration_minutes) {
    ctx.addIssue({ code: 'custom', path: ['idle_timeout_minutes'], message: `idle_timeout_minutes (${idle}) must be at most max_duration_minutes (${body.max_duration_minutes})` });
  }
  const widthSet = body.viewport_width !== undefined && body.viewport_width !== null;
  const heightSet = body.viewport_height !== undefined && body.viewport_height !== null;
  if (widthSet !== heightSet) {
    ctx.addIssue({ code: 'custom', path: [widthSet ? 'viewport_height' : 'viewport_width'], message: 'viewport_width and viewport_height must be set together' });
  }
  if ((widthSet || heightSet) && body.aspect_ratio !== undefined && body.aspect_ratio !== null) {
    ctx.addIssue({ code: 'custom', path: ['aspect_ratio'], message: 'aspect_ratio cannot be combined with viewport_width/viewport_height; set one or the other' });
  }
}

export const SessionStartInput = z.strictObject(sessionStartShape).superRefine(checkCrossFields);
export type SessionStartRequest = z.infer<typeof SessionStartInput>;

const notteStartShape = Object.fromEntries(NOTTE_START_FIELDS.map((field) => [field, sessionStartShape[field]])) as Pick<typeof sessionStartShape, NotteStartField>; // built from the very keys of the Pick

/** Notte's SessionStartRequest alone, extra fields forbidden as Notte's API does: what our REST API takes. */
export const NotteStartInput = z.strictObject(notteStartShape).superRefine(checkCrossFields);

export const SESSION_STATUSES = ['active', 'closed', 'error', 'timed_out'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const SessionStep = z.object({ type: z.string(), value: z.record(z.string(), z.unknown()) });
export type SessionStep = z.infer<typeof SessionStep>;

/** The API's SessionResponse. */
export const SessionResponse = z.object({
  session_id: z.string(),
  status: z.enum(SESSION_STATUSES),
  created_at: z.string(),
  last_accessed_at: z.string(),
  closed_at: z.string().nullable(),
  duration: z.string(),
  idle_timeout_minutes: z.number().int(),
  timeout_minutes: z.number().int(),
  max_duration_minutes: z.number().int(),
  steps: z.array(SessionStep),
  error: z.string().nullable(),
  close_reason: z.enum(['manual', 'idle_timeout', 'max_duration', 'error', 'shutdown']).nullable(),
  proxies: z.boolean(),
  browser_type: z.enum(BROWSER_TYPES),
  use_file_storage: z.boolean(),
  user_agent: z.string().nullable(),
  viewport_width: z.number().int().nullable(),
  viewport_height: z.number().int().nullable(),
  headless: z.boolean(),
  solve_captchas: z.boolean().nullable(),
  web_bot_auth: z.boolean(),
  auth_ids: z.array(z.string()),
  network_request_bytes: z.number().int(),
  network_response_bytes: z.number().int(),
  cdp_url: z.string().nullable(),
  viewer_url: z.string().nullable(),
  system_hidden: z.boolean(),
});
export type SessionResponse = z.infer<typeof SessionResponse>;

export const SessionListInput = z.strictObject({
  only_active: z.boolean().default(true).describe('Only active ones.'),
  page: z.number().int().min(1, 'page starts at 1').max(100_000).default(1).describe('From 1.'),
  page_size: z.number().int().min(1).max(100, 'page_size is at most 100').default(10).describe('Sessions per page.'),
});

export const SessionList = z.object({
  items: z.array(SessionResponse),
  page: z.number().int(),
  page_size: z.number().int(),
  has_next: z.boolean(),
  has_previous: z.boolean(),
});
export type SessionList = z.infer<typeof SessionList>;
