import type { ActionOf } from '../../notte/actions.js';
import { errorText } from './errors.js';
import { failed, ok } from './types.js';
import type { ActionContext, ActionOutcome } from './types.js';
import { TOOL } from '../../notte/toolNames.js';

interface ScrollOutcome {
  moved: number;
  what: string;
  atEnd: boolean;
}

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

/** In-page: scroll the document, or when it cannot move, the scrollable container in the middle of the view. */
function scrollInPage(args: { down: boolean; amount: number | null }): ScrollOutcome {
  const delta = (args.amount ?? Math.round(window.innerHeight * 0.7)) * (args.down ? 1 : -1);
  const page = document.scrollingElement ?? document.documentElement;
  const before = page.scrollTop;
  page.scrollBy({ top: delta, behavior: 'instant' });
  const pageMoved = page.scrollTop - before;
  if (pageMoved !== 0) {
    const atEnd = args.down ? page.scrollTop + window.innerHeight >= page.scrollHeight - 1 : page.scrollTop <= 0;
    return { moved: pageMoved, what: 'the page', atEnd };
  }
  let el = document.elementFromPoint(window.innerWidth / 2, window.innerHeight / 2);
  while (el !== null) {
    const style = getComputedStyle(el);
    if (/(auto|scroll|overlay)/.test(style.overflowY) && el.scrollHeight > el.clientHeight) {
      const start = el.scrollTop;
      el.scrollBy({ top: delta, behavior: 'instant' });
      const moved = el.scrollTop - start;
      if (moved !== 0) {
        const atEnd = args.down ? el.scrollTop + el.clientHeight >= el.scrollHeight - 1 : el.scrollTop <= 0;
        const name = el.id !== '' ? `#${el.id}` : el.tagName.toLowerCase();
        return { moved, what: `the scrollable ${name}`, atEnd };
      }
    }
    el = el.parentElement;
  }
  return { moved: 0, what: 'the page', atEnd: true };
}
