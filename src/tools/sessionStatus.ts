import { z } from 'zod';
import { SessionResponse, sessionIdArg } from '../notte/session.js';
import { TOOL } from '../notte/toolNames.js';
import { defineTool } from './defineTool.js';
import { sessionLine } from './render.js';

export const sessionStatus = defineTool({
  name: TOOL.status,
  title: 'Get a browser session',
  description: 'One session: status, limits, steps, bytes. To check it is still active.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({ session_id: sessionIdArg }),
  output: SessionResponse,
  async handle({ session_id }, ctx) {
    const response = await ctx.sessions.status(session_id);
    return { text: sessionLine(response), structured: response };
  },
});
