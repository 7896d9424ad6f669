import type { Action } from '../notte/actions.js';
import { BsmError } from '../errors.js';
import type { SessionReplay } from '../notte/replay.js';
import { TOOL } from '../notte/toolNames.js';
import type { SessionList, SessionResponse, SessionStartRequest, SessionStep } from '../notte/session.js';
import type { DriverSession } from '../drivers/driver.js';
import type { SessionRegistry } from './registry.js';
import { MAX_STEP_MESSAGE_CHARS, clipText, summarizeAction } from './stepSummary.js';
import { vaultStep } from '../vault/attach.js';
import type { CredentialListing } from '../vault/sessionVault.js';

type ObserveOptions = Parameters<DriverSession['observe']>[0];
type ScrapeParams = Parameters<DriverSession['scrape']>[0];
type ScrapeDeps = Parameters<DriverSession['scrape']>[1];
export type ObserveResult = Awaited<ReturnType<DriverSession['observe']>>;
export type StepResult = Awaited<ReturnType<DriverSession['step']>>;
export type ScrapeResult = Awaited<ReturnType<DriverSession['scrape']>>;

/** What tools may do with sessions, already bound to the calling conversation. Only methods tools use. */
export interface SessionsView {
  start(request: SessionStartRequest): Promise<{ response: SessionResponse; opened: StepResult | undefined }>;
  status(sessionId: string): Promise<SessionResponse>;
  stop(sessionId: string): Promise<SessionResponse>;
  list(query: { only_active: boolean; page: number; page_size: number }): Promise<SessionList>;
  observe(sessionId: string, options: ObserveOptions): Promise<ObserveResult>;
  step(sessionId: string, action: Action): Promise<StepResult>;
  scrape(sessionId: string, params: ScrapeParams, deps: ScrapeDeps): Promise<ScrapeResult>;
  /** What the session's vault holds for `pageUrl` (no values); undefined without a vault. */
  vaultCredentials(sessionId: string, pageUrl: string): CredentialListing[] | undefined;
  replay(sessionId: string): Promise<SessionReplay>;
}

/** Steps keep what an agent needs to retrace a session, never whole pages. */
function observationStep(result: ObserveResult): SessionStep {
  const { metadata, space } = result.observation;
  return { type: 'observation', value: { url: metadata.url, title: metadata.title, timestamp: metadata.timestamp, actions: space.interaction_actions.length } };
}

function executionStep(result: StepResult): SessionStep {
  const { action, success, message } = result.result;
  return { type: 'execution_result', value: { action: summarizeAction(action), success, message: clipText(message, MAX_STEP_MESSAGE_CHARS) } };
}

function scrapeStep(result: ScrapeResult): SessionStep {
  const structured = result.data.structured;
  return {
    type: 'execution_result',
    value: { action: { type: 'scrape' }, success: structured === null || structured.success, message: `${result.data.markdown.length} characters of markdown` },
  };
}

export function ownerView(registry: SessionRegistry, owner: string): SessionsView {
  const step = async (sessionId: string, action: Action): Promise<StepResult> => {
    registry.checkAction(action);
    return registry.run(owner, sessionId, (driver) => vaultStep(registry.get(owner, sessionId).vault, action, (secrets) => driver.step(action, secrets)), executionStep);
  };
  return {
    async start(request) {
      const session = await registry.start(owner, request);
      const opened = request.url ? await step(session.id, { type: 'goto', url: request.url }) : undefined;
      return { response: session.toResponse(), opened };
    },
    status: (sessionId) => registry.status(owner, sessionId),
    stop: (sessionId) => registry.stop(owner, sessionId),
    list: (query) => registry.list(owner, query),
    observe: (sessionId, options) => registry.run(owner, sessionId, (driver) => driver.observe(options), observationStep),
    step,
    scrape: (sessionId, params, deps) => registry.run(owner, sessionId, (driver) => driver.scrape(params, deps), scrapeStep),
    vaultCredentials: (sessionId, pageUrl) => registry.get(owner, sessionId).vault?.listing(pageUrl),
    async replay(sessionId) {
      const replay = registry.get(owner, sessionId).replay();
      if (replay === undefined) throw new BsmError('E_REPLAY_NOT_READY', `Session ${sessionId} has no recording.`, `Start one with ${TOOL.start} and recording: true.`);
      return replay;
    },
  };
}
