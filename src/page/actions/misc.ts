import type { ActionOf, DataSpace } from '../../notte/actions.js';
import { probePage, replaceTab } from '../recover.js';
import { BsmError } from '../../errors.js';
import { TOOL } from '../../notte/toolNames.js';
import { scrape } from '../scrape.js';
import { errorText } from './errors.js';
import { failed, ok } from './types.js';
import type { ActionContext, ActionOutcome } from './types.js';

// Notte's evaluate_js limit.
const EVALUATE_TIMEOUT_MS = 45_000;
// Beyond this the result is cut: the agent reads data.markdown, and a page dump would flood its context.
const MAX_RESULT_CHARS = 20_000;

export async function evaluateJs(ctx: ActionContext, action: ActionOf<'evaluate_js'>): Promise<ActionOutcome> {
  const page = ctx.host.page();
  const limitMs = ctx.host.evaluateTimeoutMs ?? EVALUATE_TIMEOUT_MS;
  const run = (code: string): Promise<unknown> => withTimeout(page.evaluate(code), limitMs);
  let value: unknown;
  try {
    try {
      value = await run(action.code);
    } catch (error) {
      // A body with a bare `return` is not an expression: run it as an async function body, as Notte does.
      if (!/Illegal return statement|return not in function/i.test(errorText(error))) throw error;
      value = await run(`(async () => {\n${action.code}\n})()`);
    }
  } catch (error) {
    if (error instanceof ScriptTimeout) {
      // A busy loop holds the renderer: nothing else can run in that tab until it is replaced.
      const state = await probePage(page);
      const replaced = state === 'busy' ? ` ${await replaceTab(ctx.host, page, 'evaluate_js busy loop')}` : '';
      // The exception carries the code, so an agent (or a test) can tell a timeout from a script that threw.
      return failed(`The script was still running after ${limitMs}ms${state === 'busy' ? ' and keeps the page busy (an endless loop?)' : ''}.${replaced}`, error.toText());
    }
    return failed(`The script threw: ${errorText(error)}.`, errorText(error));
  }
  const text = render(value);
  const cut = text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}\n… (${text.length - MAX_RESULT_CHARS} more characters cut)` : text;
  const data: DataSpace = { markdown: cut, images: null, structured: null };
  const preview = cut.length > 80 ? `${cut.slice(0, 80).replace(/\s+/g, ' ')}…` : cut.replace(/\s+/g, ' ');
  return ok(`Script returned ${preview} (full result in data.markdown).`, { data });
}

function render(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

class ScriptTimeout extends BsmError {
  constructor(ms: number) {
    super('E_TIMEOUT', `The script did not finish within ${ms}ms.`);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ScriptTimeout(ms)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

export async function scrapeAction(ctx: ActionContext, action: ActionOf<'scrape'>): Promise<ActionOutcome> {
  try {
    const result = await scrape(ctx.host, {
      only_main_content: action.only_main_content,
      scrape_links: action.scrape_links,
      scrape_images: action.scrape_images,
      only_images: action.only_images,
      selector: action.selector ?? null,
      ignored_tags: action.ignored_tags ?? null,
      // response_format/instructions are accepted and ignored: structured output goes through the scrape tool.
    });
    const chars = result.data.markdown.length;
    const more = result.nextCursor === undefined ? '' : ` The page is longer: use the ${TOOL.scrape} tool with cursor to read on.`;
    return ok(`Scraped ${chars} characters of markdown (in data.markdown).${more}`, { data: result.data });
  } catch (error) {
    return failed(`Scrape failed: ${errorText(error)}.`, errorText(error));
  }
}

export function completion(action: ActionOf<'completion'>): ActionOutcome {
  return ok(`Task ${action.success ? 'completed' : 'ended without success'}: ${action.answer}`);
}

export function help(action: ActionOf<'help'>): ActionOutcome {
  return failed(`Help requested: ${action.reason}`);
}

export function unavailable(type: 'captcha_solve' | 'email_read' | 'sms_read'): ActionOutcome {
  const why: Record<typeof type, string> = {
    // eslint-disable-next-line no-restricted-syntax -- "step by step" is the phrase, not the tool
    captcha_solve: `there is no captcha solver here. Solve it step by step (${TOOL.observe}, then click).`,
    email_read: 'there is no persona mailbox here.',
    sms_read: 'there is no persona phone here.',
  };
  return failed(`${type} is not available on the local backend: ${why[type]}`);
}
