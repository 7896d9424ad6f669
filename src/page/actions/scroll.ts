import type { ActionOf } from '../../notte/actions.js';
import { errorText } from './errors.js';
import { failed, ok } from './types.js';
import type { ActionContext, ActionOutcome } from './types.js';
import { TOOL } from '../../notte/toolNames.js';
import { scrollInPage } from '../injected/actionsInPage.js';
import type { ScrollOutcome } from '../injected/actionsInPage.js';


export async function scroll(ctx: ActionContext, action: ActionOf<'scroll_up' | 'scroll_down'>): Promise<ActionOutcome> {
  const down = action.type === 'scroll_down';
  let result: ScrollOutcome;
  try {
    result = await ctx.host.page().evaluate(scrollInPage, { down, amount: action.amount });
  } catch (error) {
    return failed(`Scrolling failed: ${errorText(error)}.`, errorText(error));
  }
  if (result.moved === 0) {
    return failed(
      down
        ? `The page did not scroll: it is already at the bottom. Use ${TOOL.observe} or ${TOOL.scrape} to read it.`
        : 'The page did not scroll: it is already at the top.',
    );
  }
  const where = result.atEnd ? (down ? ' (now at the bottom)' : ' (now at the top)') : '';
  return ok(`Scrolled ${result.what} ${down ? 'down' : 'up'} ${Math.abs(result.moved)}px${where}.`);
}

