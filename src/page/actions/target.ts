import type { InteractionAction } from '../../notte/actions.js';
import { locate, quote } from '../locate.js';
import type { Target } from '../locate.js';
import { errorText, isContextGone } from './errors.js';
import { failed, ok } from './types.js';
import type { ActionContext, ActionOutcome } from './types.js';
import { TOOL } from '../../notte/toolNames.js';

/**
 * Runs `act` on the element the action names, then fills the resolved action (selector, text_label), records
 * the id acted on, prefixes a re-find note, and presses Enter when asked.
 */
export async function onTarget(
  ctx: ActionContext,
  action: InteractionAction,
  act: (target: Target) => Promise<ActionOutcome>,
): Promise<ActionOutcome> {
  const located = await locate(ctx.host, { id: action.id, selector: action.selector, timeout: action.timeout });
  if (!located.ok) return failed(located.message, located.exception);
  const target = located.target;
  if (target.id !== undefined) ctx.host.lastActionId = target.id;
  let outcome: ActionOutcome;
  try {
    outcome = await act(target);
  } catch (error) {
    // The action's own effect took the page away (a submit, a link) before Playwright's checks finished.
    outcome = isContextGone(error)
      ? ok(`Did ${action.type} on ${name(target)}. The page navigated.`)
      : failed(`${action.type} on ${name(target)} failed: ${errorText(error)}. Call ${TOOL.observe} and try again.`, errorText(error));
  }
  if (outcome.success && action.press_enter === true) {
    try {
      await target.handle.press('Enter', { timeout: action.timeout });
      outcome = { ...outcome, message: `${outcome.message} Pressed Enter.` };
    } catch (error) {
      outcome = isContextGone(error)
        ? { ...outcome, message: `${outcome.message} Pressed Enter; the page navigated.` }
        : failed(`${outcome.message} Pressing Enter failed: ${errorText(error)}.`, errorText(error));
    }
  }
  const message = target.note === undefined ? outcome.message : `${capitalize(target.note)}. ${outcome.message}`;
  return {
    ...outcome,
    message,
    selector: target.selectors,
    textLabel: target.label,
    ...(target.id === undefined ? {} : { actedOnId: target.id }),
  };
}

/** `B3 "Submit"`, or `<button> "Submit"` for a selector target. */
export function name(target: Target): string {
  const label = quote(target.label).trimEnd();
  const what = target.id ?? `<${target.tag}>`;
  return label === '' ? what : `${what} ${label}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
