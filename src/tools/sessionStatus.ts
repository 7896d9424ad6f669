import { z } from 'zod';
import { SessionResponse, sessionIdArg } from '../notte/session.js';
import { defineTool } from './defineTool.js';
import { sessionLine } from './render.js';

export const sessionStatus = defineTool({
  name: 'session_status',
  title: 'Get a browser session',
  description: 'Status, timestamps, limits, steps and byte counters of one of your sessions (GET /sessions/{id}). Use it to check whether a session is still active before acting.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({ session_id: sessionIdArg }),
  output: SessionResponse,
  async handle({ session_id }, ctx) {
    const response = await ctx.sessions.status(session_id);
    return { text: sessionLine(response), structured: response };
  },
});
