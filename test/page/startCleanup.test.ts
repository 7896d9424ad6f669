import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalDriver } from '../../src/drivers/local.js';
import { SessionStartInput } from '../../src/notte/session.js';
import { chromiumPath, TEST_BROWSER_ARGS } from '../fixtures/chromium.js';
import { chromiumProcesses, waitFor } from '../e2e/harness.js';

describe('a start that fails inside the browser', () => {
  it('gives back the context it opened, so the browser closes once nobody uses it', async () => {
    const tag = randomUUID();
    const driver = new LocalDriver({ executablePath: chromiumPath(), browserArgs: [...TEST_BROWSER_ARGS, `--bsm-test-tag=${tag}`], uploadRoots: [], allowLocalUrls: false });
    const downloadsDir = mkdtempSync(join(tmpdir(), 'bsm-cleanup-'));
    try {
      // The registry's checks would refuse this user agent; the driver alone meets Chromium's own refusal.
      const request = SessionStartInput.parse({ user_agent: 'bad\nagent' });
      await expect(driver.open({ sessionId: randomUUID(), request, proxy: undefined, downloadsDir }, { onCrash: () => undefined })).rejects.toMatchObject({ code: 'E_BROWSER_LAUNCH' });
      expect(chromiumProcesses(tag).length).toBeGreaterThan(0); // the shared browser did launch
      await driver.releaseIdle(); // what the end of a conversation does
      await waitFor('the browser to close', () => chromiumProcesses(tag).length, (n) => n === 0, 15_000);
    } finally {
      await driver.shutdown();
    }
  });
});
