import { z } from 'zod';
import { Observation, observeInputShape } from '../notte/observation.js';
import { sessionIdArg } from '../notte/session.js';
import { TOOL } from '../notte/toolNames.js';
import { defineTool } from './defineTool.js';

export const observe = defineTool({
  name: TOOL.observe,
  title: 'Observe the page',
  description:
    `The page as compact text with action ids (L link, B button, I input, O option, F image, M other) for ${TOOL.step}, valid until the next observe. ` +
    `To find one thing on a long page, pass instructions: matches come first, far cheaper than reading on with cursor. Full text: ${TOOL.scrape}.`,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  input: z.strictObject({ session_id: sessionIdArg, ...observeInputShape }),
  output: Observation,
  async handle({ session_id, ...options }, ctx) {
    const result = await ctx.sessions.observe(session_id, options);
    const images = result.screenshot === undefined ? [] : [{ data: result.screenshot.toString('base64'), mimeType: 'image/jpeg' }];
    return { text: result.text, structured: result.observation, images };
  },
});
