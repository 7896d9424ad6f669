import { existsSync } from 'node:fs';
import { chromiumPath } from './fixtures/chromium.js';

export default function setup(): void {
  chromiumPath();
  if (!existsSync(new URL('../dist/src/cli.js', import.meta.url))) {
    throw new Error('dist/src/cli.js is missing: run `npm run build` first (npm test does it for you).');
  }
}
