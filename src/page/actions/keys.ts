import type { Page } from 'playwright-core';
import type { ActionOf } from '../../notte/actions.js';
import { errorText } from './errors.js';
import { failed, ok } from './types.js';
import type { ActionContext, ActionOutcome } from './types.js';
import { focusedInPage } from '../injected/actionsInPage.js';

export async function pressKey(ctx: ActionContext, action: ActionOf<'press_key'>): Promise<ActionOutcome> {
  const page = ctx.host.page();
  // The key goes to the element focused before it is pressed; what holds focus after may be another one (Tab).
  const receiver = await focusedElement(page);
  try {
    await page.keyboard.press(action.key);
  } catch (error) {
    return failed(
      `Could not press ${JSON.stringify(action.key)}: ${errorText(error)}. Use a Playwright key name such as Enter, Tab, Escape, ArrowDown or Control+A.`,
      errorText(error),
    );
  }
  const after = await focusedElement(page);
  const moved = after !== receiver && after !== '' ? `; focus moved to ${after}` : '';
  return ok(`Pressed ${action.key} on ${receiver === '' ? 'the page' : receiver}${moved}.`);
}

/** The focused element as `<tag name>` (its aria-label, name, id or a short text), '' for the page itself. */
async function focusedElement(page: Page): Promise<string> {
  return page
    .evaluate(focusedInPage)
    .catch(() => ''); // the page navigated under the probe: nothing is focused in a document that is gone
}

export async function wait(action: ActionOf<'wait'>): Promise<ActionOutcome> {
  // The agent asked for this pause explicitly; it is the only fixed sleep in step.
  await new Promise((resolve) => setTimeout(resolve, action.time_ms));
  return ok(`Waited ${action.time_ms}ms.`);
}
