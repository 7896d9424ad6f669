import { BsmError } from '../errors.js';
import type { DriverSession } from '../drivers/driver.js';
import { TOOL } from '../notte/toolNames.js';

/**
 * Waits for `open` at most `ms`. Past that the start fails with E_START_TIMEOUT; `abort` takes it out of the line,
 * and a session that still opens later is closed at once, since nobody will ever use it.
 */
export async function openWithin(open: (signal: AbortSignal) => Promise<DriverSession>, ms: number): Promise<DriverSession> {
  const controller = new AbortController();
  const opening = open(controller.signal);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      opening.then((late) => late.close()).catch(() => undefined); // a late session is released; a failed one has nothing to release
      reject(
        new BsmError(
          'E_START_TIMEOUT',
          `${TOOL.start} did not get a browser within ${Math.round(ms / 1000)}s: the server is busy starting other sessions.`,
          `Call ${TOOL.start} again in a moment; the operator can raise --start-timeout or lower --max-sessions.`,
        ),
      );
    }, ms);
  });
  try {
    return await Promise.race([opening, expired]);
  } finally {
    clearTimeout(timer);
  }
}
