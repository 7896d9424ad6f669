import { BsmError, errorMessage } from '../../errors.js';
import { log } from '../../log.js';
import type { Action } from '../../notte/actions.js';
import { ResolvedActionSchema, StepChangesSchema } from '../../notte/actions.js';
import type { ExecutionResult } from '../../notte/actions.js';
import { DEFAULT_MAX_TOKENS, ObservedActionType, ObserveInput, SpaceCategory } from '../../notte/observation.js';
import type { Observation, ObservedAction, SnapshotMetadata } from '../../notte/observation.js';
import { ScrapeInput } from '../../notte/scrape.js';
import type { DataSpace, ImageData, StructuredData } from '../../notte/scrape.js';
import { TOOL } from '../../notte/toolNames.js';
import { windowMarkdown } from '../../page/markdownWindow.js';
import { estimateTokens } from '../../page/tokens.js';
import type { ObserveOptions, ObserveResult } from '../../page/observe.js';
import { renderHeader } from '../../page/render.js';
import { headerLine, imageLine, structuredLines } from '../../page/scrape.js';
import type { ScrapeParams, ScrapeResult } from '../../page/scrape.js';
import { summarize } from '../../page/step.js';
import type { DriverStepResult } from '../../page/step.js';
import type { Cookie, CookieInput } from '../../notte/state.js';
import type { DriverSession, OpenHooks, RemoteEnd } from '../driver.js';
import { ApiCookies, cookiesFor, fromApiCookie, toApiCookie } from './cookies.js';
import type { NotteClient, NotteRequest } from './client.js';
import { ApiExecution, ApiObservation, ApiDataSpace, ApiSession, readApi } from './shapes.js';
import type { ApiAction } from './shapes.js';

/** A status read waits this long per try: it is a quick lookup, and session_status should not hang on it. */
const STATUS_TIMEOUT_MS = 10_000;

const CLOSE_REASONS = new Set<string>(['manual', 'idle_timeout', 'max_duration', 'error', 'shutdown']);

/** The API's close_reason when it is one of ours, else what its status implies. */
function closeReasonOf(answer: ApiSession): RemoteEnd['reason'] {
  const given = (answer.close_reason ?? '').toLowerCase().replace(/[\s-]+/g, '_');
  if (CLOSE_REASONS.has(given)) return given as RemoteEnd['reason']; // just checked against the enum's values
  return answer.status === 'timed_out' ? 'idle_timeout' : answer.status === 'error' ? 'error' : 'manual';
}

export interface NotteCallLimits {
  observeMs: number;
  stepMs: number;
  scrapeMs: number;
}

/** The last observation cut at max_tokens, so a cursor hands out the rest without asking the API again. */
interface KeptObservation {
  epoch: number;
  head: string[];
  body: string[];
  tail: string[];
  observation: Omit<Observation, 'next_cursor'>;
  header: string;
}

const PAGE_OPEN = '<page>';
const PAGE_CLOSE = '</page>';
/** Room for the lines a cut adds (continuation, cursor): keeps a window inside max_tokens. */
const CUT_NOTES_TOKENS = 40;

function toObservedAction(action: ApiAction): ObservedAction {
  const type = ObservedActionType.safeParse(action.type);
  const label = action.text_label ?? action.description ?? '';
  return { id: action.id, ...(type.success && type.data !== 'click' ? { type: type.data } : {}), ...(label === '' ? {} : { label }) };
}

function toImages(images: ApiDataSpace['images']): ImageData[] | null {
  if (images === null || images === undefined) return null;
  return images.map((image) => ({ ...(image.url ? { url: image.url } : {}), ...(image.description ? { description: image.description } : {}) }));
}

function toDataSpace(data: ApiDataSpace | null | undefined): DataSpace | null {
  if (data === null || data === undefined) return null;
  const structured: StructuredData | null = data.structured ? { success: data.structured.success, error: data.structured.error ?? null, data: data.structured.data ?? null } : null;
  return { markdown: data.markdown ?? '', images: toImages(data.images), structured };
}

/** Which tab the metadata's URL belongs to: the header counts tabs the way the local backend does. */
function activeTabOf(metadata: SnapshotMetadata): number {
  const index = metadata.tabs.findIndex((tab) => tab.url === metadata.url && tab.title === metadata.title);
  return Math.max(0, index);
}

/**
 * One session on the Notte API. The page work happens there; the words the agent reads are rendered here with
 * the same renderers the local backend uses, so both answer alike.
 */
export class NotteSession implements DriverSession {
  readonly applied: DriverSession['applied'];
  readonly cdpUrl: string | null;
  readonly viewerUrl: string | null;
  readonly remoteId: string;
  readonly #client: NotteClient;
  readonly #hooks: OpenHooks;
  readonly #limits: NotteCallLimits;
  #bytes: { request: number; response: number };
  /** The API ended the session itself (refresh saw it): there is nothing left to stop. */
  #endedThere = false;
  readonly #onClosed: () => void;
  #where = { url: '', title: '' };
  #epoch = 0;
  #kept: KeptObservation | undefined;
  #lastMarkdown: { key: string; markdown: string } | undefined;
  #closed: Promise<void> | undefined;

  constructor(started: ApiSession, client: NotteClient, hooks: OpenHooks, limits: NotteCallLimits, onClosed: () => void) {
    this.#onClosed = onClosed;
    this.remoteId = started.session_id;
    this.#client = client;
    this.#hooks = hooks;
    this.#limits = limits;
    this.cdpUrl = started.cdp_url ?? null;
    this.viewerUrl = started.viewer_url ?? null;
    this.applied = {
      viewportWidth: started.viewport_width ?? null,
      viewportHeight: started.viewport_height ?? null,
      userAgent: started.user_agent ?? null,
      proxies: started.proxies !== undefined && started.proxies !== false && started.proxies !== null && !(Array.isArray(started.proxies) && started.proxies.length === 0),
    };
    this.#bytes = { request: started.network_request_bytes ?? 0, response: started.network_response_bytes ?? 0 };
  }

  networkBytes(): { request: number; response: number } {
    return { ...this.#bytes };
  }

  async observe(options: ObserveOptions): Promise<ObserveResult> {
    const input = ObserveInput.parse(options);
    if (input.cursor !== undefined) return this.#continue(input.cursor, input.max_tokens);
    if (input.url !== undefined) await this.step({ type: 'goto', url: input.url });
    const body: Record<string, unknown> = { max_nb_actions: input.max_nb_actions };
    if (input.instructions) body['instructions'] = input.instructions;
    if (input.min_nb_actions !== null && input.min_nb_actions !== undefined) body['min_nb_actions'] = input.min_nb_actions;
    if (input.perception_type) body['perception_type'] = input.perception_type;
    const answer = readApi(ApiObservation, await this.#call({ method: 'POST', path: this.#path('page/observe'), body, idempotent: true, timeoutMs: this.#limits.observeMs }), 'observe');
    const metadata: SnapshotMetadata = {
      url: answer.metadata.url,
      title: answer.metadata.title,
      timestamp: answer.metadata.timestamp ?? new Date().toISOString(),
      viewport: answer.metadata.viewport,
      tabs: answer.metadata.tabs.map((tab) => ({ tab_id: tab.tab_id, title: tab.title, url: tab.url })),
    };
    this.#where = { url: metadata.url, title: metadata.title };
    const category = SpaceCategory.safeParse(answer.space.category);
    const observation: Omit<Observation, 'next_cursor'> = {
      metadata,
      space: { description: answer.space.description, interaction_actions: answer.space.interaction_actions.map(toObservedAction), ...(category.success ? { category: category.data } : {}) },
    };
    const header = renderHeader(metadata, activeTabOf(metadata), category.success ? category.data : undefined);
    const lines = answer.space.description.split('\n');
    const open = lines.indexOf(PAGE_OPEN);
    const close = lines.lastIndexOf(PAGE_CLOSE);
    this.#epoch += 1;
    const kept: KeptObservation =
      open >= 0 && close > open
        ? { epoch: this.#epoch, head: lines.slice(0, open), body: lines.slice(open + 1, close), tail: lines.slice(close + 1), observation, header }
        : { epoch: this.#epoch, head: [], body: lines, tail: [], observation, header };
    this.#kept = kept;
    const raw = answer.screenshot?.raw ?? '';
    const result = this.#window(kept, 0, input.max_tokens ?? DEFAULT_MAX_TOKENS);
    return input.screenshot && raw !== '' ? { ...result, screenshot: Buffer.from(raw, 'base64') } : result;
  }

  async step(action: Action): Promise<DriverStepResult> {
    const beforeUrl = this.#where.url;
    const answer = readApi(ApiExecution, await this.#call({ method: 'POST', path: this.#path('page/execute'), body: action, idempotent: false, timeoutMs: this.#limits.stepMs }), 'execute');
    const resolved = ResolvedActionSchema.safeParse(answer.action);
    const now = new Date().toISOString();
    const result: ExecutionResult = {
      action: resolved.success ? resolved.data : { type: action.type },
      success: answer.success,
      message: answer.message,
      data: toDataSpace(answer.data),
      exception: answer.success ? null : (answer.exception ?? null),
      started_at: answer.started_at ?? now,
      ended_at: answer.ended_at ?? now,
    };
    // `changes` is our own REST API's; Notte's cloud says what happened in the result alone, and the page it left
    // is unknown until the next observe: nothing is claimed about it (least of all the last observe's URL).
    const reported = StepChangesSchema.safeParse(answer.changes);
    if (!reported.success) {
      const went = answer.success && (resolved.data?.type === 'goto' || resolved.data?.type === 'goto_new_tab') && 'url' in resolved.data ? resolved.data.url : undefined;
      this.#where = { url: typeof went === 'string' ? went : '', title: '' };
      return { result, text: summarize(result, undefined, undefined) };
    }
    this.#where = { url: reported.data.url, title: reported.data.title };
    return { result, changes: reported.data, text: summarize(result, reported.data, beforeUrl === '' ? undefined : beforeUrl) };
  }

  async scrape(params: ScrapeParams): Promise<ScrapeResult> {
    const input = ScrapeInput.parse(params);
    if (input.url !== undefined) await this.step({ type: 'goto', url: input.url });
    const request = {
      scrape_links: input.scrape_links,
      scrape_images: input.scrape_images,
      only_main_content: input.only_main_content,
      only_images: input.only_images,
      use_link_placeholders: input.use_link_placeholders,
      ...(input.selector ? { selector: input.selector } : {}),
      ...(input.ignored_tags ? { ignored_tags: input.ignored_tags } : {}),
      ...(input.response_format ? { response_format: input.response_format } : {}),
      ...(input.instructions ? { instructions: input.instructions } : {}),
    };
    const key = JSON.stringify(request);
    let data: DataSpace;
    if (input.cursor !== undefined && this.#lastMarkdown?.key === key) {
      data = { markdown: this.#lastMarkdown.markdown, images: null, structured: null };
    } else {
      const answer = readApi(ApiDataSpace, await this.#call({ method: 'POST', path: this.#path('page/scrape'), body: request, idempotent: true, timeoutMs: this.#limits.scrapeMs }), 'scrape');
      data = toDataSpace(answer) ?? { markdown: '', images: null, structured: null };
    }
    if (input.only_images) {
      const images = data.images ?? [];
      return { data: { markdown: '', images, structured: null }, text: [`${headerLine(this.#scraped(), undefined, input)}: ${images.length} images`, ...images.map(imageLine)].join('\n') };
    }
    const window = windowMarkdown(data.markdown, input.max_tokens, input.cursor);
    this.#lastMarkdown = window.nextCursor === undefined ? undefined : { key, markdown: data.markdown };
    const out: DataSpace = { markdown: window.text, images: null, structured: data.structured };
    const lines = [headerLine(this.#scraped(), window, input)];
    if (window.note !== undefined) lines.push(window.note);
    if (data.structured !== null) lines.push(...structuredLines(data.structured));
    lines.push('', window.text === '' ? '(no visible text)' : window.text);
    if (window.nextCursor === undefined) return { data: out, text: lines.join('\n') };
    out.next_cursor = window.nextCursor;
    lines.push('', `[More: ${window.total - window.end} characters left. Call ${TOOL.scrape} again with cursor="${window.nextCursor}" and the same arguments to read on.]`);
    return { data: out, text: lines.join('\n'), nextCursor: window.nextCursor };
  }

  async cookies(urls?: readonly string[]): Promise<Cookie[]> {
    const answer = readApi(ApiCookies, await this.#call({ method: 'GET', path: this.#path('cookies'), idempotent: true }), 'cookies');
    return cookiesFor(answer.cookies.map(fromApiCookie), urls);
  }

  /** Setting the same cookies twice leaves the same jar, so a retry is safe. */
  async addCookies(cookies: readonly CookieInput[]): Promise<void> {
    await this.#call({ method: 'POST', path: this.#path('cookies'), body: { cookies: cookies.map(toApiCookie) }, idempotent: true });
  }

  /** GET /sessions/{id}: a session the cloud timed out or closed reads so at once, not at the next page call. */
  async refresh(): Promise<RemoteEnd | undefined> {
    if (this.#closed !== undefined) return undefined;
    let answer: ApiSession;
    try {
      answer = readApi(ApiSession, await this.#client.call({ method: 'GET', path: `/sessions/${encodeURIComponent(this.remoteId)}`, idempotent: true, timeoutMs: STATUS_TIMEOUT_MS }), 'status');
    } catch (error: unknown) {
      if (error instanceof BsmError && error.code === 'E_SESSION_NOT_FOUND') return this.#ended({ status: 'error', reason: 'error', error: `the Notte API no longer knows the session (${error.message})` });
      // An API that cannot say leaves the status as it was: the next page call finds out.
      log('warn', 'reading the Notte session status failed', { remote_session_id: this.remoteId, error: errorMessage(error) });
      return undefined;
    }
    this.#bytes = { request: answer.network_request_bytes ?? this.#bytes.request, response: answer.network_response_bytes ?? this.#bytes.response };
    if (answer.status === 'active') return undefined;
    const why = [answer.error, answer.close_reason ? `close_reason ${answer.close_reason}` : undefined].filter((part) => part !== undefined && part !== null && part !== '').join('; ');
    return this.#ended({ status: answer.status, reason: closeReasonOf(answer), error: `the Notte API reports the session ${answer.status}${why === '' ? '' : ` (${why})`}` });
  }

  #ended(end: RemoteEnd): RemoteEnd {
    this.#endedThere = true;
    return end;
  }

  close(): Promise<void> {
    this.#onClosed();
    if (this.#endedThere) this.#closed ??= Promise.resolve();
    this.#closed ??= this.#client
      .call({ method: 'DELETE', path: this.#path('stop'), idempotent: true })
      .then(() => undefined)
      .catch((error: unknown) => log('warn', 'stopping the Notte session failed', { remote_session_id: this.remoteId, error: errorMessage(error) }));
    return this.#closed;
  }

  /** Where a scrape says it read: the page as last known, or plainly unknown after an action that did not say. */
  #scraped(): { url: string; title: string } {
    return this.#where.url === '' ? { url: 'the current page', title: '' } : this.#where;
  }

  #path(rest: string): string {
    return `/sessions/${encodeURIComponent(this.remoteId)}/${rest}`;
  }

  /** A page call on a session the API no longer has means it ended there: ours ends too, with the API's reason. */
  async #call(request: NotteRequest): Promise<unknown> {
    try {
      return await this.#client.call(request);
    } catch (error: unknown) {
      if (error instanceof BsmError && (error.code === 'E_SESSION_NOT_FOUND' || error.code === 'E_SESSION_NOT_ACTIVE')) {
        this.#hooks.onCrash(`the Notte session ended: ${error.message}`);
        throw new BsmError('E_SESSION_NOT_ACTIVE', `The Notte session behind this one has ended (${error.message}).`, `Start a new one with ${TOOL.start}.`);
      }
      throw error;
    }
  }

  #continue(cursor: string, maxTokens: number | undefined): ObserveResult {
    const [epoch, line] = cursor.split('.').map(Number);
    const kept = this.#kept;
    if (kept === undefined || epoch !== kept.epoch || line === undefined || !Number.isInteger(line) || line <= 0 || line >= kept.body.length) {
      throw new BsmError('E_BAD_CURSOR', `The cursor is not one the latest ${TOOL.observe} returned.`, `Call ${TOOL.observe} again without cursor.`);
    }
    return this.#window(kept, line, maxTokens ?? DEFAULT_MAX_TOKENS);
  }

  /** The page lines from `start` that fit max_tokens, cut at a line, with the local backend's words for the cut. */
  #window(kept: KeptObservation, start: number, maxTokens: number): ObserveResult {
    const fixed = estimateTokens([kept.header, ...kept.head, ...kept.tail].join('\n')) + CUT_NOTES_TOKENS;
    let used = 0;
    let end = start;
    while (end < kept.body.length) {
      used += estimateTokens(kept.body[end] ?? '') + 1;
      if (used + fixed > maxTokens && end > start) break;
      end += 1;
    }
    const cut = end < kept.body.length;
    if (start === 0 && !cut) {
      return { observation: kept.observation, text: `${kept.header}\n${kept.observation.space.description}` };
    }
    const nextCursor = cut ? `${kept.epoch}.${end}` : undefined;
    const description = [
      ...kept.head,
      ...(start > 0 ? [`… continued from the previous ${TOOL.observe} (same ids)`] : []),
      PAGE_OPEN,
      ...kept.body.slice(start, end),
      PAGE_CLOSE,
      ...(nextCursor === undefined ? [] : [`… cut at max_tokens: ${TOOL.observe} with cursor="${nextCursor}" for the rest`]),
      ...kept.tail,
    ].join('\n');
    const observation: Observation = { ...kept.observation, space: { ...kept.observation.space, description }, ...(nextCursor === undefined ? {} : { next_cursor: nextCursor }) };
    return { observation, text: `${kept.header}\n${description}`, ...(nextCursor === undefined ? {} : { nextCursor }) };
  }
}
