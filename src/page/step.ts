import type { Page } from 'playwright-core';
import { DEFAULT_ACTION_TIMEOUT_MS, actionParams, isInteractionAction, leanSelectors } from '../notte/actions.js';
import type { Action, ActionType, ExecutionResult, ResolvedAction, StepChanges } from '../notte/actions.js';
import { click, downloadFile } from './actions/click.js';
import { errorText } from './actions/errors.js';
import { check, fill, selectDropdownOption, uploadFile } from './actions/fill.js';
import { formFill } from './actions/formFill.js';
import { pressKey, wait } from './actions/keys.js';
import { completion, evaluateJs, help, scrapeAction, unavailable } from './actions/misc.js';
import { closeTab, goto, gotoNewTab, history, reload, switchTab } from './actions/navigation.js';
import { scroll } from './actions/scroll.js';
import { failed } from './actions/types.js';
import type { ActionContext, ActionOutcome } from './actions/types.js';
import { installPageHandlers } from './dialogs.js';
import type { EventsSince } from './dialogs.js';
import type { PageHost } from './host.js';
import type { SecretSource } from './secrets.js';
import { SettleWatch } from './settle.js';
import type { SettleReport, Waited } from './settle.js';
import { TOOL } from '../notte/toolNames.js';

export interface StepResult {
  result: ExecutionResult;
  changes: StepChanges;
  /** 1–3 lines for the model: outcome, what changed, how long it waited. */
  text: string;
}

/** How to wait after an action: watch DOM + network + navigation, only what the navigation left, or nothing. */
type SettleKind = 'full' | 'navigation' | 'none';

const SETTLE: Record<ActionType, SettleKind> = {
  goto: 'navigation', goto_new_tab: 'navigation', go_back: 'navigation', go_forward: 'navigation', reload: 'navigation',
  switch_tab: 'none', close_tab: 'none', wait: 'none', completion: 'none', help: 'none', captcha_solve: 'none',
  email_read: 'none', sms_read: 'none', scrape: 'none',
  press_key: 'full', scroll_up: 'full', scroll_down: 'full', form_fill: 'full', evaluate_js: 'full',
  click: 'full', fill: 'full', multi_factor_fill: 'full', fallback_fill: 'full', check: 'full',
  select_dropdown_option: 'full', upload_file: 'full', download_file: 'full',
};

// A popup that has not parsed its first document in 5 s is reported as opened; the agent can observe it later.
const POPUP_LOAD_CAP_MS = 5_000;

/** Executes one Notte action on the host's active tab. Never throws for a failed action: see `result.success`. */
/** A step as a driver answers it: a backend that cannot tell what the action did to the page (Notte's cloud) leaves out `changes`. */
export type DriverStepResult = Omit<StepResult, 'changes'> & { changes?: StepChanges };

export async function step(host: PageHost, action: Action, secrets?: SecretSource): Promise<StepResult> {
  const startedAt = new Date();
  const events = installPageHandlers(host);
  const mark = events.mark();
  const ctx: ActionContext = { host, events, mark, ...(secrets === undefined ? {} : { secrets }) };
  let page: Page;
  try {
    page = host.page();
  } catch (error) {
    // The page closed the last tab itself: goto_new_tab, which E_NO_TAB's hint names, needs no tab to start from.
    const outcome = action.type === 'goto_new_tab' ? await runCaught(ctx, action) : failed(errorText(error));
    return finish(host, action, startedAt, outcome, emptyReport(), undefined, events.since(mark), []);
  }
  const beforeUrl = page.url();
  const kind = SETTLE[action.type];
  const watch = kind === 'none' ? undefined : await SettleWatch.begin(page, { dom: kind === 'full' });
  const actionStarted = Date.now();
  const outcome = await runCaught(ctx, action);
  const actionMs = Date.now() - actionStarted;

  let report = emptyReport();
  if (watch !== undefined && outcome.success) {
    report = await watch.settle({ navigationTimeoutMs: DEFAULT_ACTION_TIMEOUT_MS, dom: kind === 'full' });
    if (kind === 'navigation') report = { ...report, navigated: true, elements: null, waited: { ...report.waited, navigation: actionMs } };
  } else {
    watch?.stop();
  }

  const happened = events.since(mark);
  const notes: string[] = [...report.notes];
  const popup = happened.popups.map((p) => p.page).filter((p) => !p.isClosed()).at(-1);
  if (popup !== undefined && action.type !== 'goto_new_tab' && outcome.success) {
    // A tab the page opened (target=_blank, window.open) is where the user would look next.
    host.setActive(popup);
    const started = Date.now();
    await popup.waitForLoadState('domcontentloaded', { timeout: POPUP_LOAD_CAP_MS }).catch(() => notes.push('the new tab is still loading'));
    report.waited.popup = Date.now() - started;
  }
  const downloads = await Promise.all(
    happened.downloads.map(async (d) => ({ event: d, saved: await d.saved })),
  );
  return finish(host, action, startedAt, outcome, { ...report, notes }, beforeUrl, happened, downloads);
}

async function runCaught(ctx: ActionContext, action: Action): Promise<ActionOutcome> {
  try {
    return await run(ctx, action);
  } catch (error) {
    return failed(`${action.type} failed: ${errorText(error)}. Call ${TOOL.observe} to see the page, then try again.`, errorText(error));
  }
}

async function run(ctx: ActionContext, action: Action): Promise<ActionOutcome> {
  switch (action.type) {
    case 'goto': return goto(ctx, action);
    case 'goto_new_tab': return gotoNewTab(ctx, action);
    case 'switch_tab': return switchTab(ctx, action);
    case 'close_tab': return closeTab(ctx);
    case 'go_back': return history(ctx, 'back');
    case 'go_forward': return history(ctx, 'forward');
    case 'reload': return reload(ctx);
    case 'wait': return wait(action);
    case 'press_key': return pressKey(ctx, action);
    case 'scroll_up':
    case 'scroll_down': return scroll(ctx, action);
    case 'click': return click(ctx, action);
    case 'fill':
    case 'multi_factor_fill':
    case 'fallback_fill': return fill(ctx, action);
    case 'check': return check(ctx, action);
    case 'select_dropdown_option': return selectDropdownOption(ctx, action);
    case 'upload_file': return uploadFile(ctx, action);
    case 'download_file': return downloadFile(ctx, action);
    case 'evaluate_js': return evaluateJs(ctx, action);
    case 'form_fill': return formFill(ctx, action);
    case 'scrape': return scrapeAction(ctx, action);
    case 'completion': return completion(action);
    case 'help': return help(action);
    case 'captcha_solve':
    case 'email_read':
    case 'sms_read': return unavailable(action.type);
  }
}

function emptyReport(): SettleReport {
  return { waited: {}, navigated: false, elements: null, notes: [] };
}

interface FinishedDownload {
  event: EventsSince['downloads'][number];
  saved: { path: string | null; error?: string };
}

async function finish(
  host: PageHost,
  action: Action,
  startedAt: Date,
  outcome: ActionOutcome,
  report: SettleReport,
  beforeUrl: string | undefined,
  happened: EventsSince,
  downloads: FinishedDownload[],
): Promise<StepResult> {
  const tabs = host.tabs();
  const active = tabs.length > 0 ? host.page() : undefined;
  const url = active?.url() ?? '';
  const title = (await active?.title().catch(() => '')) ?? '';
  // Only what changed is listed: an absent field means empty, null, false or 0 (see StepChangesSchema).
  const newTabs = happened.popups
    .filter((p) => !p.page.isClosed())
    .map((p) => ({ tab_index: tabs.indexOf(p.page), url: p.page.url() }));
  const elements = report.elements;
  const waited = nonZero(report.waited);
  const changes: StepChanges = {
    url,
    ...(beforeUrl !== undefined && beforeUrl !== url ? { previous_url: beforeUrl } : {}),
    title,
    ...(report.navigated ? { navigated: true } : {}),
    active_tab: active === undefined ? -1 : tabs.indexOf(active),
    tab_count: tabs.length,
    ...(newTabs.length > 0 ? { new_tabs: newTabs } : {}),
    ...(happened.dialogs.length > 0
      ? { dialogs: happened.dialogs.map((d) => ({ type: d.type, message: d.message, handled: d.handled })) }
      : {}),
    ...(downloads.length > 0
      ? {
          downloads: downloads.map(({ event, saved }) => ({
            path: saved.path,
            suggested_filename: event.suggestedFilename,
            url: event.url,
            ...(saved.error === undefined ? {} : { error: saved.error }),
          })),
        }
      : {}),
    ...(elements !== null && (elements.added > 0 || elements.removed > 0)
      ? {
          elements: {
            ...(elements.added > 0 ? { added: elements.added } : {}),
            ...(elements.removed > 0 ? { removed: elements.removed } : {}),
            ...(elements.appeared.length > 0 ? { appeared: elements.appeared } : {}),
          },
        }
      : {}),
    ...(Object.keys(waited).length > 0 ? { waited } : {}),
  };
  const message = report.notes.length > 0 ? `${outcome.message} (${report.notes.join('; ')})` : outcome.message;
  const result: ExecutionResult = {
    action: resolved(action, outcome),
    success: outcome.success,
    message,
    data: outcome.data ?? null,
    exception: outcome.exception ?? null,
    started_at: startedAt.toISOString(),
    ended_at: new Date().toISOString(),
  };
  return { result, changes, text: summarize(result, changes, beforeUrl) };
}

function nonZero(waited: Waited): Waited {
  const out: Waited = {};
  for (const key of ['navigation', 'network', 'dom', 'popup'] as const) {
    const ms = waited[key];
    if (ms !== undefined && ms > 0) out[key] = ms;
  }
  return out;
}

// What stands in for a password in the resolved action.
const MASK = '********';
// form_fill keys whose values are passwords (`password` itself is stored as current_password by the schema).
const SECRET_FORM_KEYS = ['current_password', 'new_password'] as const;

/**
 * The action as executed, lean: its own parameters (defaults, nulls and ignored fields left out), and for an
 * element action the id, selector and label it resolved to. The selector keeps only its non-default fields.
 */
function resolved(action: Action, outcome: ActionOutcome): ResolvedAction {
  const params = actionParams(action);
  if (outcome.secretValue === true && typeof params['value'] === 'string') params['value'] = MASK;
  if (action.type === 'form_fill') {
    const value: Record<string, string | null> = { ...action.value };
    for (const key of SECRET_FORM_KEYS) if (typeof value[key] === 'string') value[key] = MASK;
    params['value'] = value;
  }
  const base: ResolvedAction = { ...params, type: action.type };
  if (!isInteractionAction(action)) return base;
  const selector = outcome.selector ?? (typeof action.selector === 'object' && action.selector !== null ? action.selector : undefined);
  const label = outcome.textLabel ?? action.text_label ?? '';
  return {
    ...base,
    ...(outcome.actedOnId === undefined ? {} : { id: outcome.actedOnId }),
    ...(selector === undefined ? {} : { selector: leanSelectors(selector) }),
    ...(label === '' ? {} : { text_label: label }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The model's summary

/**
 * Shared with the Notte driver, so a step answers in the same words whichever backend ran it. Without `changes`
 * (a backend that does not report them) the result's own message is all that is said.
 */
export function summarize(result: ExecutionResult, changes: StepChanges | undefined, beforeUrl: string | undefined): string {
  const head = `${result.success ? '✓' : '✗'} ${result.message}`;
  if (changes === undefined) return head;
  const effects: string[] = [];
  const where = shortUrl(changes.url, beforeUrl);
  const titled = changes.title === '' ? '' : ` (${JSON.stringify(changes.title)})`;
  const adopted = changes.new_tabs?.find((t) => t.tab_index === changes.active_tab);
  const type = result.action.type;
  if (adopted !== undefined) {
    effects.push(`new tab ${adopted.tab_index} opened and now active: ${where}${titled}`);
  } else if (!result.success) {
    // A failed action's message says it all; only side effects (dialogs, downloads) follow.
  } else if (NAMES_ITS_URL.has(type)) {
    // The message already names the URL.
    if (changes.title !== '') effects.push(`title ${JSON.stringify(changes.title)}`);
  } else if (changes.navigated === true) {
    effects.push(`navigated to ${where}${titled}`);
  } else if (changes.previous_url !== undefined) {
    effects.push(`URL now ${where}`);
  }
  for (const d of changes.dialogs ?? []) effects.push(`${d.type} dialog ${JSON.stringify(clip(d.message, 60))} ${d.handled}`);
  for (const d of changes.downloads ?? []) {
    effects.push(d.path === null ? `download of ${d.suggested_filename} failed` : `downloaded ${d.suggested_filename} → ${d.path}`);
  }
  if (changes.elements !== undefined) {
    const { added = 0, removed = 0, appeared = [] } = changes.elements;
    const named = appeared.length > 0 ? ` (new: ${appeared.map((a) => JSON.stringify(clip(a, 40))).join(', ')})` : '';
    effects.push(`+${added}/−${removed} elements${named}`);
  }
  const total = Object.values(changes.waited ?? {}).reduce((sum, ms) => sum + (ms ?? 0), 0);
  const tail = total > 0 ? `; waited ${total}ms` : '';
  // Messages end with a full stop; the wait joins them as its own sentence.
  if (effects.length === 0) return total > 0 ? `${head} Waited ${total}ms.` : head;
  return `${head}\n→ ${effects.join('; ')}${tail}`;
}

const NAMES_ITS_URL = new Set(['goto', 'goto_new_tab', 'go_back', 'go_forward', 'reload', 'switch_tab', 'close_tab']);

function shortUrl(url: string, beforeUrl: string | undefined): string {
  try {
    const now = new URL(url);
    if (beforeUrl !== undefined && new URL(beforeUrl).origin === now.origin) return `${now.pathname}${now.search}${now.hash}`;
  } catch {
    // about:blank and friends: show as is.
  }
  return url;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
