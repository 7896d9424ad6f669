import type { DriverSession } from '../drivers/driver.js';
import { BsmError, errorMessage } from '../errors.js';
import { log } from '../log.js';
import type { Action } from '../notte/actions.js';
import type { SessionReplay } from '../notte/replay.js';
import { TOOL } from '../notte/toolNames.js';
import type { LiveSession } from './liveSession.js';

/** The fields that say which element or page a step was about, in the order the step's name prefers them. */
const NAME_FIELDS = ['id', 'selector', 'url', 'key', 'value'];
const MAX_NAME_DETAIL = 80;

/** "click B3", "goto http://…": what the viewer lists and what the trace's groups are called. */
export function stepName(action: Action): string {
  const fields = new Map(Object.entries(action));
  for (const field of NAME_FIELDS) {
    const value = fields.get(field);
    if (typeof value === 'string' && value !== '') return `${action.type} ${value.length > MAX_NAME_DETAIL ? `${value.slice(0, MAX_NAME_DETAIL)}…` : value}`;
  }
  return action.type;
}

export interface WatchedOptions {
  viewerUrl: string | null;
  record: boolean;
  /** Called once when the session ends, with its finished recording if it had one. */
  onEnd(replay: SessionReplay | undefined): void;
}

/** The session's backend, with every call shown to its viewers (and grouped in its trace) and its end finishing the recording. */
export function watched(inner: DriverSession, live: LiveSession, options: WatchedOptions): DriverSession {
  let ended = false;
  let replay: SessionReplay | undefined;
  return {
    applied: inner.applied,
    cdpUrl: inner.cdpUrl,
    ...(inner.live === undefined ? {} : { live: inner.live }),
    // The link dies with the session, so an ended session does not advertise it.
    get viewerUrl() {
      return ended ? null : options.viewerUrl;
    },
    networkBytes: () => inner.networkBytes(),
    observe: (observeOptions) => live.around('observe', () => inner.observe(observeOptions), (result) => ({ success: true, message: `${result.observation.space.interaction_actions.length} actions` })),
    step: (action, secrets) => live.around(stepName(action), () => inner.step(action, secrets), (result) => ({ success: result.result.success, message: result.result.message })),
    scrape: (params, deps) => live.around('scrape', () => inner.scrape(params, deps), (result) => ({ success: true, message: `${result.data.markdown.length} characters of markdown` })),
    // Cookies and profile state are no page calls a viewer shows; they pass straight through.
    ...(inner.cookies ? { cookies: inner.cookies.bind(inner) } : {}),
    ...(inner.addCookies ? { addCookies: inner.addCookies.bind(inner) } : {}),
    ...(inner.storageState ? { storageState: inner.storageState.bind(inner) } : {}),
    ...(inner.refresh ? { refresh: inner.refresh.bind(inner) } : {}),
    close: async () => {
      if (!ended) {
        ended = true;
        // The trace must be saved before the context it records is closed.
        replay = await live.end().catch((error: unknown) => {
          log('warn', 'finishing the recording failed', { session_id: live.sessionId, error: errorMessage(error) });
          return undefined;
        });
        options.onEnd(replay);
      }
      await inner.close();
    },
    onActivity: (touch) => {
      live.onActivity = touch;
    },
    replay: () => {
      if (!options.record) throw new BsmError('E_REPLAY_NOT_READY', `Session ${live.sessionId} was started without recording.`, `Start one with ${TOOL.start} and recording: true.`);
      if (!ended) throw new BsmError('E_REPLAY_NOT_READY', `Session ${live.sessionId} is still active: its recording is finished when it ends.`, `Stop it with ${TOOL.stop}, then call ${TOOL.replay} again.`);
      if (replay === undefined) throw new BsmError('E_REPLAY_NOT_READY', `Session ${live.sessionId} ended, but its recording could not be saved.`, `The server log says why; start a new session with ${TOOL.start} and recording: true.`);
      return replay;
    },
  };
}
