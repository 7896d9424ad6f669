import { z } from 'zod';
import { Observation, observeInputShape } from '../notte/observation.js';
import { sessionIdArg } from '../notte/session.js';
import { defineTool } from './defineTool.js';

export const observe = defineTool({
  name: 'observe',
  title: 'Observe the page',
  description:
    'See the active tab of a session (POST /sessions/{id}/page/observe): a compact text of the page with action ids inline ' +
    '(L link, B button/checkbox/radio, I input/select, O option, F image, M other clickable) and the list of interaction_actions. ' +
    'Ids are valid until the next observe. Then call step with one action, e.g. {"type":"click","id":"B3"}. ' +
    'Pass url to open a page first, instructions to rank the actions for your goal, viewport_only for a smaller view. ' +
    'For the full text of long content use scrape.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  input: z.strictObject({ session_id: sessionIdArg, ...observeInputShape }),
  output: Observation,
  async handle({ session_id, ...options }, ctx) {
    const result = await ctx.sessions.observe(session_id, options);
    const images = result.screenshot === undefined ? [] : [{ data: result.screenshot.toString('base64'), mimeType: 'image/jpeg' }];
    return { text: result.text, structured: result.observation, images };
  },
});
