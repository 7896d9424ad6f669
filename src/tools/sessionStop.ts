import { z } from 'zod';
import { SessionResponse, sessionIdArg } from '../notte/session.js';
import { defineTool } from './defineTool.js';
import { sessionLine } from './render.js';

export const sessionStop = defineTool({
  name: 'session_stop',
  title: 'Stop a browser session',
  description: 'Stop a session and release its browser (DELETE /sessions/{id}/stop). Safe to call twice: an ended session is returned as it ended. Other sessions are untouched.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({ session_id: sessionIdArg }),
  output: SessionResponse,
  async handle({ session_id }, ctx) {
    const response = await ctx.sessions.stop(session_id);
    return { text: sessionLine(response), structured: response };
  },
});
