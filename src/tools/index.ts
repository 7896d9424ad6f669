import { observe } from './observe.js';
import { scrape } from './scrape.js';
import { sessionList } from './sessionList.js';
import { sessionStart } from './sessionStart.js';
import { sessionStatus } from './sessionStatus.js';
import { sessionStop } from './sessionStop.js';
import { step } from './step.js';
import { sessionCookiesGet, sessionCookiesSet } from './cookies.js';
import { profileDelete, profileList } from './profiles.js';
import { storageList, storageRead, storageWrite } from './storage.js';

/** Cookies, profiles and file storage (issue 10). */
const STATE_TOOLS = [sessionCookiesGet, sessionCookiesSet, profileList, profileDelete, storageList, storageRead, storageWrite] as const;

/** Every tool, in the order clients list them: the loop an agent runs, start to stop. */
export const TOOLS = [sessionStart, observe, step, scrape, sessionStatus, sessionList, sessionStop, ...STATE_TOOLS] as const;
