import type { SessionList, SessionResponse, SessionStartRequest } from '../notte/session.js';
import type { SessionRegistry } from './registry.js';

/** What tools may do with sessions, already bound to the calling conversation. Only methods tools use. */
export interface SessionsView {
  start(request: SessionStartRequest): Promise<{ response: SessionResponse; note: string | undefined }>;
  status(sessionId: string): Promise<SessionResponse>;
  stop(sessionId: string): Promise<SessionResponse>;
  list(query: { only_active: boolean; page: number; page_size: number }): Promise<SessionList>;
}

export function ownerView(registry: SessionRegistry, owner: string): SessionsView {
  return {
    async start(request) {
      const session = await registry.start(owner, request);
      if (!request.url) return { response: session.toResponse(), note: undefined };
      const opened = await session.run(
        (driver) => driver.navigate(request.url ?? ''),
        (result) => ({ type: 'execution_result', value: { action: { type: 'goto', url: request.url }, success: result.success, message: result.message } }),
      );
      return { response: session.toResponse(), note: opened.success ? `${opened.message} Title: "${opened.title}".` : `Warning: ${opened.message}` };
    },
    status: (sessionId) => registry.status(owner, sessionId),
    stop: (sessionId) => registry.stop(owner, sessionId),
    list: (query) => registry.list(owner, query),
  };
}
