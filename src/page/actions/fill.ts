import type { ElementHandle } from 'playwright-core';
import type { ActionOf } from '../../notte/actions.js';
import type { Target } from '../locate.js';
import { clickTarget, clickTimeout } from './click.js';
import { errorText } from './errors.js';
import { name, onTarget } from './target.js';
import { failed, ok } from './types.js';
import type { ActionContext, ActionOutcome } from './types.js';
import { resolveUploadPath } from './uploadPath.js';
import { TOOL } from '../../notte/toolNames.js';
import { controlInfoInPage, firstLabel, matchOption, moveCaretToEnd, selectOf, shownValue } from '../injected/actionsInPage.js';
import type { ControlInfo } from '../injected/actionsInPage.js';


async function controlInfo(handle: ElementHandle): Promise<ControlInfo> {
  return handle.evaluate(controlInfoInPage);
}

async function valueOf(handle: ElementHandle): Promise<string> {
  return handle
    .evaluate(shownValue)
    .catch(() => '');
}

function disabledMessage(target: Target): string {
  return `Element is disabled: ${name(target)}. It may become enabled after other fields are filled; call ${TOOL.observe} to check.`;
}

export async function fill(
  ctx: ActionContext,
  action: ActionOf<'fill' | 'multi_factor_fill' | 'fallback_fill'>,
): Promise<ActionOutcome> {
  return onTarget(ctx, action, async (target) => {
    // Placeholders resolve against the frame the field is in, right before typing.
    const resolved = ctx.secrets === undefined ? { ok: true as const, value: action.value, secret: false } : ctx.secrets.resolve(action.value, target.frame.url());
    if (!resolved.ok) return failed(resolved.message);
    const info = await controlInfo(target.handle);
    const secret = info.secret || resolved.secret;
    // A password must not come back in the resolved action either; the message already says only its length.
    const hide = (outcome: ActionOutcome): ActionOutcome => (secret ? { ...outcome, secretValue: true } : outcome);
    try {
      return hide(await fillControl(target, { ...info, secret }, { ...action, value: resolved.value }));
    } catch (error) {
      return hide(failed(`${action.type} on ${name(target)} failed: ${errorText(error)}. Call ${TOOL.observe} and try again.`, errorText(error)));
    }
  });
}

async function fillControl(
  target: Target,
  info: ControlInfo,
  action: ActionOf<'fill' | 'multi_factor_fill' | 'fallback_fill'>,
): Promise<ActionOutcome> {
  if (info.disabled) return failed(disabledMessage(target));
  if (info.readonly) return failed(`${name(target)} is read-only; it cannot be filled.`);
  if (info.kind === 'select') return selectIn(target, action.value, action.timeout);
  if (info.kind === 'checkbox' || info.kind === 'radio') {
    return failed(`${name(target)} is a ${info.kind}; use a check action with value true or false.`);
  }
  if (info.kind === 'file') return failed(`${name(target)} is a file input; use upload_file with a file_path.`);
  const page = target.page;
  if (action.type === 'fill') {
    if (action.clear_before_fill) {
      await target.handle.fill(action.value, { timeout: action.timeout });
    } else {
      await target.handle.focus();
      await target.handle.evaluate(moveCaretToEnd);
      await page.keyboard.insertText(action.value);
    }
  } else {
    // Both variants type real keystrokes after a click, for widgets that ignore programmatic input.
    const clicked = await clickTarget(target, clickTimeout(action.timeout));
    if (!clicked.ok) return failed(clicked.message, clicked.exception);
    if (action.clear_before_fill && info.kind === 'text') await target.handle.fill('', { timeout: action.timeout });
    await page.keyboard.type(action.value, { delay: action.type === 'fallback_fill' ? 100 : 0 });
  }
  const now = await valueOf(target.handle);
  const shown = info.secret ? `${action.value.length} characters` : JSON.stringify(action.value);
  const differs = !info.secret && action.type !== 'multi_factor_fill' && now.trim() !== '' && !now.includes(action.value)
    ? ` The field now shows ${JSON.stringify(now.slice(0, 80))} (the page reformatted it).`
    : '';
  return ok(`Filled ${name(target)} with ${shown}.${differs}`);
}


export async function check(ctx: ActionContext, action: ActionOf<'check'>): Promise<ActionOutcome> {
  return onTarget(ctx, action, async (target) => {
    const info = await controlInfo(target.handle);
    if (info.disabled) return failed(disabledMessage(target));
    if (info.kind === 'radio' && !action.value) {
      return failed(`${name(target)} is a radio button: it cannot be unchecked directly. Check another option of its group instead.`);
    }
    if (info.kind !== 'checkbox' && info.kind !== 'radio') {
      return failed(`${name(target)} is not a checkbox or radio button; use click instead.`);
    }
    try {
      await target.handle.setChecked(action.value, { timeout: clickTimeout(action.timeout) });
    } catch (error) {
      // Styled forms hide the native input and show its label: clicking the label is what a person does.
      const label = await target.handle.evaluateHandle(firstLabel);
      const labelElement = label.asElement();
      if (labelElement === null) return failed(`Could not ${action.value ? 'check' : 'uncheck'} ${name(target)}: ${errorText(error)}.`, errorText(error));
      await labelElement.click({ timeout: clickTimeout(action.timeout) });
    }
    const checked = await target.handle.isChecked().catch(() => !action.value);
    if (checked !== action.value) {
      return failed(`${name(target)} is still ${checked ? 'checked' : 'unchecked'} after the click; the page may block it. Call ${TOOL.observe}.`);
    }
    return ok(`${action.value ? 'Checked' : 'Unchecked'} ${name(target)}.`);
  });
}

export async function selectDropdownOption(ctx: ActionContext, action: ActionOf<'select_dropdown_option'>): Promise<ActionOutcome> {
  return onTarget(ctx, action, async (target) => {
    const info = await controlInfo(target.handle);
    if (info.disabled) return failed(disabledMessage(target));
    return selectIn(target, action.value, action.timeout);
  });
}


async function selectIn(target: Target, value: string, timeout: number): Promise<ActionOutcome> {
  const select = await target.handle.evaluateHandle(selectOf);
  const selectElement = select.asElement();
  if (selectElement === null) return selectCustom(target, value, timeout);
  const match = await selectElement.evaluate(matchOption, value);
  if (match.index < 0) {
    return failed(`${name(target)} has no option ${JSON.stringify(value)}. Options: ${match.options.map((o) => JSON.stringify(o)).join(', ')}.`);
  }
  await selectElement.selectOption({ index: match.index }, { timeout });
  return ok(`Selected ${JSON.stringify(match.text)} in ${name(target)}.`);
}

/** Non-native dropdowns: open it, then click the option a person would see. */
async function selectCustom(target: Target, value: string, timeout: number): Promise<ActionOutcome> {
  const opened = await clickTarget(target, clickTimeout(timeout));
  if (!opened.ok) return failed(opened.message, opened.exception);
  const option = target.page
    .getByRole('option', { name: value, exact: true })
    .or(target.page.getByRole('menuitem', { name: value, exact: true }))
    .or(target.page.getByText(value, { exact: true }))
    .filter({ visible: true })
    .first();
  try {
    await option.click({ timeout });
  } catch {
    return failed(`Opened ${name(target)}, but no visible option ${JSON.stringify(value)} appeared. Call ${TOOL.observe} to see the open list and click an option by id.`);
  }
  return ok(`Opened ${name(target)} and chose ${JSON.stringify(value)}.`);
}

export async function uploadFile(ctx: ActionContext, action: ActionOf<'upload_file'>): Promise<ActionOutcome> {
  const verdict = await resolveUploadPath(ctx.host.uploadRoots, action.file_path);
  if (!verdict.ok) return failed(verdict.reason);
  return onTarget(ctx, action, async (target) => {
    const info = await controlInfo(target.handle);
    if (info.disabled) return failed(disabledMessage(target));
    if (info.kind === 'file') {
      await target.handle.setInputFiles(verdict.path, { timeout: action.timeout });
    } else {
      // A styled "Choose file" button opens the chooser from script; answer the chooser instead.
      const chooser = target.page.waitForEvent('filechooser', { timeout: clickTimeout(action.timeout) });
      const clicked = await clickTarget(target, clickTimeout(action.timeout));
      if (!clicked.ok) {
        chooser.catch(() => undefined);
        return failed(clicked.message, clicked.exception);
      }
      try {
        await (await chooser).setFiles(verdict.path);
      } catch (error) {
        return failed(`${name(target)} did not open a file chooser. Find the file input (input type=file) with ${TOOL.observe} and upload to it.`, errorText(error));
      }
    }
    return ok(`Uploaded ${verdict.path} to ${name(target)}.`);
  });
}
