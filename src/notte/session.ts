import { z } from 'zod';

/** Ids are server-minted UUIDs; anything else cannot be one of ours. */
export const sessionIdArg = z
  .string()
  .uuid({ message: 'session_id must be the UUID that session_start returned' })
  .describe('The session_id returned by session_start.');

const ExternalProxy = z.strictObject({
  type: z.literal('external'),
  server: z.string().min(1).describe('Proxy URL, e.g. http://proxy.example:3128 or socks5://127.0.0.1:1080.'),
  username: z.string().nullish().describe('Proxy user name.'),
  password: z.string().nullish().describe('Proxy password.'),
  bypass: z.string().nullish().describe('Comma-separated hosts that skip the proxy.'),
});

const NotteProxy = z.strictObject({
  type: z.literal('notte'),
  id: z.string().nullish(),
  country: z.string().regex(/^[a-z]{2}$/, 'country must be an ISO-3166 alpha-2 code in lower case, e.g. "us"').nullish(),
  city: z.string().nullish(),
  geolocation: z.strictObject({ country: z.string(), city: z.string().nullish() }).nullish(),
});

const TailnetProxy = z.strictObject({
  type: z.literal('tailnet'),
  oauth_client_id: z.string().min(1),
  oauth_client_secret: z.string().nullish(),
});

export const ProxySettings = z.discriminatedUnion('type', [NotteProxy, ExternalProxy, TailnetProxy]);
export type ProxySettings = z.infer<typeof ProxySettings>;

const SessionProfile = z.strictObject({
  id: z.string().min(1).describe('Profile id, e.g. notte-profile-0123456789abcdef.'),
  persist: z.boolean().default(false).describe('Save browser state back to the profile when the session closes.'),
});

export const BROWSER_TYPES = ['chromium', 'chrome', 'chrome-nightly', 'chrome-turbo', 'firefox'] as const;
export const SCREENSHOT_TYPES = ['raw', 'full', 'last_action'] as const;

/**
 * POST /sessions/start, field for field (names, types, defaults, ranges). Defaults follow the API reference this
 * project was created from (../shared/seeds/api-sessions-start.txt), e.g. solve_captchas=false.
 */
export const sessionStartShape = {
  headless: z.boolean().default(true).describe('Run the browser headless. false needs a display on the server.'),
  solve_captchas: z.boolean().default(false).describe('Try to solve captchas automatically (not available on the local backend).'),
  max_duration_minutes: z
    .number().int().gt(0, 'max_duration_minutes must be at least 1').lte(1440, 'max_duration_minutes is at most 1440 (24 h)')
    .default(15)
    .describe('Absolute lifetime in minutes (1-1440); not reset by activity.'),
  idle_timeout_minutes: z
    .number().int().gt(0, 'idle_timeout_minutes must be at least 1').lte(15, 'idle_timeout_minutes is at most 15')
    .default(3)
    .describe('Minutes without any operation before the session times out (1-15); every call resets it.'),
  timeout_minutes: z.number().int().gt(0).lte(15).optional().describe('Deprecated alias of idle_timeout_minutes.'),
  proxies: z
    .union([z.boolean(), z.array(ProxySettings).max(1, 'only one proxy is supported'), z.string().regex(/^[a-z]{2}$/)])
    .default(false)
    .describe('false, or one proxy: [{"type":"external","server":"http://host:port","username":…,"password":…}].'),
  browser_type: z.enum(BROWSER_TYPES).default('chromium').describe('chromium or chrome (both run the local Chromium build).'),
  user_agent: z.string().nullish().describe('User-Agent header and navigator.userAgent for the session.'),
  chrome_args: z.array(z.string()).nullish().describe('Extra Chromium command-line flags; the session gets a browser of its own.'),
  viewport_width: z.number().int().min(100).max(7680).nullish().describe('Viewport width in px; set with viewport_height.'),
  viewport_height: z.number().int().min(100).max(4320).nullish().describe('Viewport height in px; set with viewport_width.'),
  aspect_ratio: z.enum(['5:4', '16:9']).nullish().describe('Viewport shape; not with viewport_width/height.'),
  cdp_url: z.string().nullish().describe('Attach to an external browser over CDP (not supported yet).'),
  use_file_storage: z.boolean().default(true).describe('Give the session a folder for download_file and allow upload_file.'),
  screenshot_type: z.enum(SCREENSHOT_TYPES).default('last_action').describe('Screenshots from observe: raw, full (every id boxed) or last_action (only the last acted-on element boxed).'),
  profile: SessionProfile.nullish().describe('Browser profile to load (not supported yet).'),
  web_bot_auth: z.boolean().default(false).describe('Cloudflare Web Bot Auth signing (not supported yet).'),
  extra_http_headers: z.record(z.string(), z.string()).nullish().describe('HTTP headers sent with every request of the session.'),
  vault_id: z.string().nullish().describe('Credential vault to attach (not supported yet).'),
  auth_ids: z
    .array(z.string())
    .max(10, 'at most 10 auth_ids')
    .refine((ids) => new Set(ids).size === ids.length, 'auth_ids must not repeat')
    .default([])
    .describe('Managed Auth connection ids (not supported yet).'),
  wait_for_authentication: z.boolean().default(true).describe('Wait for Managed Auth to finish before returning.'),
  url: z.string().url('url must be an absolute URL, e.g. https://example.com').nullish().describe('Open this URL right after the session starts (our extension).'),
};

export const SessionStartInput = z.strictObject(sessionStartShape).superRefine((body, ctx) => {
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
});
export type SessionStartRequest = z.infer<typeof SessionStartInput>;

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
  only_active: z.boolean().default(true).describe('Only sessions whose status is active.'),
  page: z.number().int().min(1, 'page starts at 1').default(1).describe('1-based page number.'),
  page_size: z.number().int().min(1).max(100, 'page_size is at most 100').default(10).describe('Sessions per page (1-100).'),
});

export const SessionList = z.object({
  items: z.array(SessionResponse),
  page: z.number().int(),
  page_size: z.number().int(),
  has_next: z.boolean(),
  has_previous: z.boolean(),
});
export type SessionList = z.infer<typeof SessionList>;
