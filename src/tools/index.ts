import { observe } from './observe.js';
import { scrape } from './scrape.js';
import { sessionList } from './sessionList.js';
import { sessionReplay } from './sessionReplay.js';
import { sessionStart } from './sessionStart.js';
import { sessionStatus } from './sessionStatus.js';
import { sessionStop } from './sessionStop.js';
import type { Tool } from './defineTool.js';
import { step, stepWithoutEvaluate } from './step.js';
import { sessionCookiesGet, sessionCookiesSet } from './cookies.js';
import { profileDelete, profileList } from './profiles.js';
import { storageList, storageRead, storageWrite } from './storage.js';

/** Cookies, profiles and file storage (issue 10). */
const STATE_TOOLS = [sessionCookiesGet, sessionCookiesSet, profileList, profileDelete, storageList, storageRead, storageWrite] as const;

/** Every tool, in the order clients list them: the loop an agent runs, start to stop. */
export const TOOLS = [sessionStart, observe, step, scrape, sessionStatus, sessionList, sessionStop, ...STATE_TOOLS, sessionReplay] as const;

/** The tools as this server offers them: an action the operator turned off is said so in step's listing. */
export function toolsFor(disabledActions: readonly string[]): readonly Tool[] {
  if (!disabledActions.includes('evaluate_js')) return TOOLS;
  return TOOLS.map((tool) => (tool === step ? stepWithoutEvaluate : tool));
}
