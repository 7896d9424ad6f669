import { z } from 'zod';
import { MAX_ITEMS, MAX_NAME, MAX_PAYLOAD, MAX_TEXT, MAX_URL, UNADVERTISED } from './limits.js';

/** Profile ids name files in the store: a pattern keeps "../x" out (checked here, not advertised, to save tokens). */
export const profileIdArg = z
  .string()
  .max(128)
  .refine((id) => /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(id), 'a profile id has letters, digits, "-" and "_" only, e.g. "notte-profile-0123456789abcdef"')
  .describe('Profile id.');

export const SessionProfile = z.strictObject({
  id: profileIdArg,
  persist: z.boolean().default(false).describe('Save state back at session end.'),
});

const SAME_SITE = { lax: 'Lax', strict: 'Strict', none: 'None' } as const;

/**
 * A cookie as Playwright's addCookies and the API's Cookie take it. `expirationDate`, `hostOnly`, `session`,
 * `storeId` are the API's extras (Chrome extension shape): accepted, not advertised.
 */
export const CookieInput = z
  .strictObject({
    name: z.string().min(1).max(MAX_NAME),
    value: z.string().max(MAX_TEXT),
    url: z.string().max(MAX_URL).optional().describe('Or domain+path.'),
    domain: z.string().max(MAX_NAME).optional(),
    path: z.string().max(MAX_URL).optional(),
    expires: z.number().optional().describe('Unix s; -1 session.'),
    expirationDate: z.number().optional().meta(UNADVERTISED),
    httpOnly: z.boolean().optional(),
    secure: z.boolean().optional(),
    sameSite: z
      .string()
      .max(16)
      .transform((value, ctx) => {
        const known = Object.entries(SAME_SITE).find(([key]) => key === value.toLowerCase())?.[1];
        if (known === undefined) ctx.addIssue({ code: 'custom', message: 'sameSite is "Lax", "Strict" or "None"' });
        return known ?? 'Lax';
      })
      .optional()
      .describe('Lax|Strict|None'),
    hostOnly: z.boolean().optional().meta(UNADVERTISED),
    session: z.boolean().optional().meta(UNADVERTISED),
    storeId: z.string().max(MAX_NAME).nullish().meta(UNADVERTISED),
    partitionKey: z.string().max(MAX_NAME).nullish().meta(UNADVERTISED),
  })
  .superRefine((cookie, ctx) => {
    if (cookie.url === undefined && cookie.domain === undefined) ctx.addIssue({ code: 'custom', path: ['domain'], message: 'a cookie needs url, or domain (with path)' });
    if (cookie.url !== undefined && !URL.canParse(cookie.url)) ctx.addIssue({ code: 'custom', path: ['url'], message: 'url must be absolute, e.g. "https://example.com"' });
  });
export type CookieInput = z.output<typeof CookieInput>;

/**
 * Advertised as one line instead of its nine fields (about 150 tokens less in each of the two tools that take it);
 * the zod schema above still checks every field. The meta replaces the generated `items`.
 */
export const cookiesArg = z
  .array(CookieInput)
  .max(MAX_ITEMS * 10, 'at most 1000 cookies')
  .meta({ items: { type: 'object', required: ['name', 'value'], description: '{name, value, url | domain+path, expires?, httpOnly?, secure?, sameSite?}' } })
  .describe('Cookies, Playwright shape.');

/** A cookie as the browser holds it (Playwright's Cookie). */
export const Cookie = z.object({
  name: z.string(),
  value: z.string(),
  domain: z.string(),
  path: z.string(),
  expires: z.number(),
  httpOnly: z.boolean(),
  secure: z.boolean(),
  sameSite: z.enum(['Strict', 'Lax', 'None']),
});
export type Cookie = z.infer<typeof Cookie>;

/** Playwright's addCookies shape: url, or domain and path; the API's extras dropped. */
export function toBrowserCookie(cookie: CookieInput): { name: string; value: string; url?: string; domain?: string; path?: string; expires?: number; httpOnly?: boolean; secure?: boolean; sameSite?: 'Strict' | 'Lax' | 'None' } {
  const expires = cookie.expires ?? cookie.expirationDate;
  return {
    name: cookie.name,
    value: cookie.value,
    ...(cookie.url !== undefined && cookie.domain === undefined ? { url: cookie.url } : { domain: cookie.domain ?? '', path: cookie.path ?? '/' }),
    ...(expires !== undefined ? { expires } : {}),
    ...(cookie.httpOnly !== undefined ? { httpOnly: cookie.httpOnly } : {}),
    ...(cookie.secure !== undefined ? { secure: cookie.secure } : {}),
    ...(cookie.sameSite !== undefined ? { sameSite: cookie.sameSite } : {}),
  };
}

/**
 * storage_write's base64 content: 3 MiB of text (2.25 MiB of bytes) stays under the default 4 MiB
 * --max-request-bytes, so an over-long value gets the field's own error; --storage-max-bytes caps the bytes.
 */
export const MAX_BASE64 = MAX_PAYLOAD * 3;
