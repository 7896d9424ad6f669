import type { Config } from '../../config.js';
import { BsmError } from '../../errors.js';
import { NotteDriver } from './driver.js';

/** The key comes from the environment only: a flag would put it in every `ps` listing. */
export function notteDriverFrom(config: Config, env: NodeJS.ProcessEnv): NotteDriver {
  const apiKey = env['NOTTE_API_KEY'] ?? '';
  if (apiKey.trim() === '') throw new BsmError('E_BACKEND_AUTH', '--backend notte needs the NOTTE_API_KEY environment variable.', 'Set it to your Notte API key (or to a key of the self-hosted server at --notte-api-url).');
  // Recordings are made by this server's viewer from a browser it drives; every start would be refused after the
  // cloud browser was already paid for, so the combination is refused once, at start-up.
  if (config.record) throw new BsmError('E_NOT_SUPPORTED', '--record cannot record sessions on --backend notte: this server has no browser of its own there.', 'Leave --record out (the Notte cloud keeps its own replays).');
  return new NotteDriver({
    apiUrl: config.notteApiUrl,
    apiKey: apiKey.trim(),
    startTimeoutMs: config.startTimeoutSeconds * 1000,
    callLimits: { observeMs: config.observeTimeoutSeconds * 1000, stepMs: config.stepTimeoutSeconds * 1000, scrapeMs: config.scrapeTimeoutSeconds * 1000 },
  });
}
