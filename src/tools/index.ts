import { observe } from './observe.js';
import { scrape } from './scrape.js';
import { sessionList } from './sessionList.js';
import { sessionReplay } from './sessionReplay.js';
import { sessionStart } from './sessionStart.js';
import { sessionStatus } from './sessionStatus.js';
import { sessionStop } from './sessionStop.js';
import type { Tool } from './defineTool.js';
import { CAP_NAMES } from '../notte/toolNames.js';
import type { Cap } from '../notte/toolNames.js';
import { step, stepWithoutEvaluate } from './step.js';
import { sessionCookiesGet, sessionCookiesSet } from './cookies.js';
import { profileDelete, profileList } from './profiles.js';
import { storageList, storageRead, storageWrite } from './storage.js';

/** The session loop every server lists, in the order an agent runs it, start to stop. */
export const CORE_TOOLS = [sessionStart, observe, step, scrape, sessionStatus, sessionList, sessionStop] as const;

/**
 * Tool groups an operator opts into with --caps, as @playwright/mcp does: every listed tool rides along with every
 * model turn, and the session loop alone already covers cookies, profiles and recordings at session_start.
 */
export const CAPS = {
  cookies: [sessionCookiesGet, sessionCookiesSet],
  profiles: [profileList, profileDelete],
  storage: [storageList, storageRead, storageWrite],
  replay: [sessionReplay],
} as const satisfies Record<Cap, readonly Tool[]>;

/** Every tool there is, in the order clients list them. */
export const TOOLS: readonly Tool[] = [...CORE_TOOLS, ...CAP_NAMES.flatMap((cap) => CAPS[cap])];

export interface ToolChoice {
  disabledActions: readonly string[];
  caps: readonly Cap[];
}

/** The tools as this server offers them: the core, the opted-in groups, and step saying which actions are off. */
export function toolsFor(choice: ToolChoice): readonly Tool[] {
  const core = choice.disabledActions.includes('evaluate_js') ? CORE_TOOLS.map((tool) => (tool === step ? stepWithoutEvaluate : tool)) : CORE_TOOLS;
  return [...core, ...CAP_NAMES.filter((cap) => choice.caps.includes(cap)).flatMap((cap) => CAPS[cap])];
}
