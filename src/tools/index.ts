import { observe } from './observe.js';
import { scrape } from './scrape.js';
import { sessionList } from './sessionList.js';
import { sessionReplay } from './sessionReplay.js';
import { sessionStart } from './sessionStart.js';
import { sessionStatus } from './sessionStatus.js';
import { sessionStop } from './sessionStop.js';
import { step } from './step.js';

/** Every tool, in the order clients list them: the loop an agent runs, start to stop. */
export const TOOLS = [sessionStart, observe, step, scrape, sessionStatus, sessionList, sessionStop, sessionReplay] as const;
