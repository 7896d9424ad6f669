import { chromiumPath } from './fixtures/chromium.js';

/** A missing Chromium fails the whole run loudly, with the install hint; no test skips for it. */
export default function setup(): void {
  chromiumPath();
}
