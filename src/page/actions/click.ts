import type { ActionOf } from '../../notte/actions.js';
import type { Target } from '../locate.js';
import { errorText, isContextGone, isTimeout } from './errors.js';
import { watchNavigation } from './navigationWatch.js';
import { name, onTarget } from './target.js';
import { failed, ok } from './types.js';
import type { ActionContext, ActionOutcome } from './types.js';
import { TOOL } from '../../notte/toolNames.js';
import { clickThroughScript, hitTestInPage, isDisabledInPage, opensTab } from '../injected/actionsInPage.js';
import type { Hit } from '../injected/actionsInPage.js';

// The step's own timeout, whole: on a loaded machine Playwright's actionability checks (and the navigation a
// click starts) can take seconds, and an inner limit shorter than the agent's would blame the page for it.
export function clickTimeout(timeout: number): number {
  return timeout;
}

export type ClickResult = { ok: true; note: string } | { ok: false; message: string; exception: string | null };

// A loaded machine can take seconds to create the tab a target=_blank link asked for.
const POPUP_WAIT_MS = 3_000;

export async function click(ctx: ActionContext, action: ActionOf<'click'>): Promise<ActionOutcome> {
  return onTarget(ctx, action, async (target) => {
    const expectsTab = await opensNewTab(target);
    const result = await clickTarget(target, clickTimeout(action.timeout));
    if (!result.ok) return failed(result.message, result.exception);
    // Without this wait the step could settle before the tab exists, and the agent would stay on the old one.
    if (expectsTab) await ctx.events.waitForPopup(ctx.mark, POPUP_WAIT_MS);
    return ok(`Clicked ${name(target)}.${result.note}`);
  });
}

/** A link or a form submit whose target names another browsing context opens a tab when clicked. */
async function opensNewTab(target: Target): Promise<boolean> {
  return target.handle
    .evaluate(opensTab)
    .catch(() => false);
}

const NO_STORAGE = 'This session has no file storage (it was started with use_file_storage: false), so nothing can be downloaded. Start a session with use_file_storage: true.';

export async function downloadFile(ctx: ActionContext, action: ActionOf<'download_file'>): Promise<ActionOutcome> {
  if (ctx.host.downloadsDir === '') return failed(NO_STORAGE);
  return onTarget(ctx, action, async (target) => {
    const result = await clickTarget(target, clickTimeout(action.timeout));
    if (!result.ok) return failed(result.message, result.exception);
    const download = await ctx.events.waitForDownload(ctx.mark, action.timeout);
    if (download === undefined) {
      return failed(`Clicked ${name(target)} but no download started within ${action.timeout}ms. Call ${TOOL.observe}: the page may need another ${TOOL.step} first.`);
    }
    const saved = await download.saved;
    if (saved.path === null) return failed(`The download of ${download.suggestedFilename} failed: ${saved.error ?? 'unknown error'}.`, saved.error ?? null);
    return ok(`Downloaded ${download.suggestedFilename} to ${saved.path}.`);
  });
}

/** Clicks like a person would; fails fast on disabled elements and names what covers a blocked one. */
export async function clickTarget(target: Target, timeout: number): Promise<ClickResult> {
  if (await isDisabled(target)) {
    return { ok: false, message: `Element is disabled: ${name(target)}. It may become enabled after other fields are filled; call ${TOOL.observe} to check.`, exception: null };
  }
  const navigation = watchNavigation(target.page);
  try {
    await target.handle.click({ timeout });
    return { ok: true, note: '' };
  } catch (error) {
    // The click landed and the page is leaving: the document the checks ran in is gone, which is success.
    if (navigation.started() || isContextGone(error)) return { ok: true, note: ' The page navigated.' };
    if (!isTimeout(error)) {
      return { ok: false, message: `Could not click ${name(target)}: ${errorText(error)}. Call ${TOOL.observe} again and use a current id.`, exception: errorText(error) };
    }
    const hit = await hitTest(target);
    if (navigation.started() || hit.state === 'gone') return { ok: true, note: ' The page navigated.' };
    if (hit.state === 'covered') {
      return {
        ok: false,
        message: `${name(target)} is covered by ${hit.by}, which would get the click. Close or dismiss that first (${TOOL.observe} lists its buttons), then click again.`,
        exception: errorText(error),
      };
    }
    if (hit.state === 'hidden') {
      return {
        ok: false,
        message: `${name(target)} is not visible, so it cannot be clicked. Open the menu or section that contains it, or scroll, then call ${TOOL.observe}.`,
        exception: errorText(error),
      };
    }
    // Nothing covers it and it is visible, yet Playwright's checks never passed (endless animation, odd layout):
    // a JS click does what the user's click would.
    await target.handle.evaluate(clickThroughScript);
    return { ok: true, note: ` (Playwright's click timed out after ${timeout}ms; clicked through JavaScript instead)` };
  } finally {
    navigation.stop();
  }
}

async function isDisabled(target: Target): Promise<boolean> {
  return target.handle
    .evaluate(isDisabledInPage)
    .catch(() => false);
}


async function hitTest(target: Target): Promise<Hit> {
  return target.handle
    .evaluate(hitTestInPage)
    .catch((error: unknown): Hit => (isContextGone(error) ? { state: 'gone' } : { state: 'hidden' }));
}
