import type { Frame, Page, Request } from 'playwright-core';

export interface NavigationWatch {
  /** A document request or a committed navigation of the page's main frame was seen since the watch began. */
  started(): boolean;
  stop(): void;
}

/**
 * Tells an action that failed because its page left from one that failed on the page: a click whose target
 * starts a navigation can time out in Playwright's post-click checks on a slow machine, and its document (where
 * any later check runs) is gone. The action succeeded then, and says so.
 */
export function watchNavigation(page: Page): NavigationWatch {
  let seen = false;
  const onRequest = (request: Request): void => {
    if (!request.isNavigationRequest()) return;
    try {
      if (request.frame() === page.mainFrame()) seen = true;
    } catch {
      // service-worker requests have no frame
    }
  };
  const onFrame = (frame: Frame): void => {
    if (frame === page.mainFrame()) seen = true;
  };
  page.on('request', onRequest);
  page.on('framenavigated', onFrame);
  return {
    started: () => seen,
    stop: () => {
      page.off('request', onRequest);
      page.off('framenavigated', onFrame);
    },
  };
}
