import { z } from 'zod';
import { BsmError, excerpt } from '../../errors.js';

/**
 * What the Notte API answers, read loosely: the fields we use are checked, anything else the API adds is kept
 * or ignored, as Notte's own SDK does (its pydantic models allow extras).
 */

export const ApiSession = z.looseObject({
  session_id: z.string().min(1),
  status: z.enum(['active', 'closed', 'error', 'timed_out']),
  error: z.string().nullish(),
  /** Newer API versions say why a session closed (manual, idle timeout, …); the exact words are the API's. */
  close_reason: z.string().nullish(),
  cdp_url: z.string().nullish(),
  viewer_url: z.string().nullish(),
  user_agent: z.string().nullish(),
  viewport_width: z.number().int().nullish(),
  viewport_height: z.number().int().nullish(),
  proxies: z.unknown().optional(),
  network_request_bytes: z.number().int().nullish(),
  network_response_bytes: z.number().int().nullish(),
});
export type ApiSession = z.infer<typeof ApiSession>;

const ApiViewport = z.looseObject({
  scroll_x: z.number(),
  scroll_y: z.number(),
  viewport_width: z.number(),
  viewport_height: z.number(),
  total_width: z.number(),
  total_height: z.number(),
});

const ApiMetadata = z.looseObject({
  url: z.string(),
  title: z.string(),
  timestamp: z.string().nullish(),
  viewport: ApiViewport,
  tabs: z.array(z.looseObject({ tab_id: z.number(), title: z.string(), url: z.string() })),
});

const ApiAction = z.looseObject({
  type: z.string().optional(),
  id: z.string(),
  description: z.string().nullish(),
  text_label: z.string().nullish(),
  value: z.unknown().optional(),
  category: z.string().nullish(),
});
export type ApiAction = z.infer<typeof ApiAction>;

export const ApiObservation = z.looseObject({
  metadata: ApiMetadata,
  screenshot: z.looseObject({ raw: z.string().nullish() }).nullish(),
  space: z.looseObject({
    description: z.string(),
    interaction_actions: z.array(ApiAction).default([]),
    category: z.string().nullish(),
  }),
});
export type ApiObservation = z.infer<typeof ApiObservation>;

const ApiDataSpace = z.looseObject({
  markdown: z.string().nullish(),
  images: z.array(z.looseObject({ url: z.string().nullish(), category: z.string().nullish(), description: z.string().nullish() })).nullish(),
  structured: z.looseObject({ success: z.boolean(), error: z.string().nullish(), data: z.unknown().optional() }).nullish(),
});
export type ApiDataSpace = z.infer<typeof ApiDataSpace>;
export { ApiDataSpace };

export const ApiExecution = z.looseObject({
  action: z.looseObject({ type: z.string() }),
  success: z.boolean(),
  message: z.string(),
  data: ApiDataSpace.nullish(),
  exception: z.string().nullish(),
  started_at: z.string().nullish(),
  ended_at: z.string().nullish(),
  /** Our own REST API adds what the action changed; Notte's cloud does not, and the driver fills it in. */
  changes: z.looseObject({ url: z.string(), title: z.string(), active_tab: z.number(), tab_count: z.number() }).optional(),
});
export type ApiExecution = z.infer<typeof ApiExecution>;

export const ApiSessionList = z.union([z.array(ApiSession), z.looseObject({ items: z.array(ApiSession) })]);

/** A body the API should not have sent is its fault, not the agent's: said as such, with a short excerpt. */
export function readApi<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue === undefined ? '' : ` (${issue.path.join('.') || 'body'}: ${issue.message})`;
  throw new BsmError('E_BACKEND_UNAVAILABLE', `The Notte API answered ${what} with an unexpected body${where}: ${excerpt(body)}.`, 'Check --notte-api-url points at a Notte Sessions API.');
}
