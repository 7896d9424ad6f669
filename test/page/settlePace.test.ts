import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installDomObserver, waitDomQuiet } from '../../src/page/injected/settleInPage.js';
import { launchTestBrowser } from '../fixtures/chromium.js';

// The DOM wait's windows are an idle machine's; on a page whose timers run late they stretch by that lateness.
// The lateness is set here as the pace probe would measure it on a loaded machine (100 ms), so the test does
// not depend on how loaded this machine happens to be.
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchTestBrowser();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser.close();
});

/** A reaction 150 ms after the action: past the idle windows (30 ms to react), inside the stretched ones. */
async function reactionAfter150ms(lag: number): Promise<{ added: number }> {
  await page.setContent('<h1>Pace</h1>');
  await page.evaluate(installDomObserver);
  await page.evaluate((measured) => {
    const state = (globalThis as unknown as { __bsmSettle: { lag: number; reacted: boolean } }).__bsmSettle;
    state.lag = measured;
    setTimeout(() => document.body.append(document.createElement('p')), 150);
  }, lag);
  return page.evaluate(waitDomQuiet, { quietMs: 100, minMs: 50, reactMs: 30, capMs: 1_500 });
}

describe('the DOM wait and the page pace', () => {
  // With fixed windows (no stretch) the wait ends at about 30 ms and reports nothing: checked by hand. No control
  // run at an idle pace here, since on a loaded machine the probe would rightly stretch that one too.
  it('waits for a reaction that comes late when the page runs late', async () => {
    expect((await reactionAfter150ms(100)).added).toBe(1);
  });
});
