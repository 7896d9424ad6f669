import { z } from 'zod';
import { SessionResponse, sessionIdArg } from '../notte/session.js';
import { TOOL } from '../notte/toolNames.js';
import { defineTool } from './defineTool.js';
import { sessionLine } from './render.js';

export const sessionStop = defineTool({
  name: TOOL.stop,
  title: 'Stop a browser session',
  description: 'Stop a session and free its browser; safe to repeat.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({ session_id: sessionIdArg }),
  output: SessionResponse,
  async handle({ session_id }, ctx) {
    const response = await ctx.sessions.stop(session_id);
    return { text: sessionLine(response), structured: response };
  },
});
