import { randomBytes } from 'node:crypto';

/**
 * The page globals our installed libraries live under. Their names are new with every server process, so a page
 * cannot define them first: a page that froze a known name (`Object.defineProperty(window, name, {writable: false})`)
 * made every observe and scrape of it fail. Non-enumerable once installed, so page scripts walking window miss them.
 */
const SUFFIX = randomBytes(6).toString('hex');

export const WALK_GLOBAL = `__bsmWalk_${SUFFIX}`;
export const SCRAPE_GLOBAL = `__bsmScrape_${SUFFIX}`;
