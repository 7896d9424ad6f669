import type { BrowserContext } from 'playwright-core';
import { answers } from '../page/injected/probesInPage.js';

/** How long a spare's tab may take to answer; a live one answers in milliseconds even on a busy machine. */
const SPARE_PROBE_MS = 3_000;

/** Whether the spare's first tab is there and its renderer answers a trivial script. */
export async function spareIsAlive(context: BrowserContext): Promise<boolean> {
  const page = context.pages()[0];
  if (page === undefined || page.isClosed()) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), SPARE_PROBE_MS);
  });
  try {
    return await Promise.race([page.evaluate(answers).catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
