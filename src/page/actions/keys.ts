import type { ActionOf } from '../../notte/actions.js';
import { errorText } from './errors.js';
import { failed, ok } from './types.js';
import type { ActionContext, ActionOutcome } from './types.js';

export async function pressKey(ctx: ActionContext, action: ActionOf<'press_key'>): Promise<ActionOutcome> {
  const page = ctx.host.page();
  try {
    await page.keyboard.press(action.key);
  } catch (error) {
    return failed(
      `Could not press ${JSON.stringify(action.key)}: ${errorText(error)}. Use a Playwright key name such as Enter, Tab, Escape, ArrowDown or Control+A.`,
      errorText(error),
    );
  }
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    if (el === null || el === document.body) return '';
    const name = el.getAttribute('aria-label') ?? el.getAttribute('name') ?? el.id;
    return `<${el.tagName.toLowerCase()}${name === '' ? '' : ` ${name}`}>`;
  }).catch(() => '');
  return ok(`Pressed ${action.key}${focused === '' ? '' : ` on ${focused}`}.`);
}

export async function wait(action: ActionOf<'wait'>): Promise<ActionOutcome> {
  // The agent asked for this pause explicitly; it is the only fixed sleep in step.
  await new Promise((resolve) => setTimeout(resolve, action.time_ms));
  return ok(`Waited ${action.time_ms}ms.`);
}
