import { SessionResponse, SessionStartInput } from '../notte/session.js';
import { TOOL } from '../notte/toolNames.js';
import { defineTool } from './defineTool.js';
import { sessionLine } from './render.js';

export const sessionStart = defineTool({
  name: TOOL.start,
  title: 'Start a browser session',
  description:
    `Start a browser session; its session_id goes to every other tool. Pass url to open a page at once, then ${TOOL.observe}. ` +
    `End it with ${TOOL.stop} (it also ends after idle_timeout_minutes).`,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  input: SessionStartInput,
  output: SessionResponse,
  async handle(args, ctx) {
    const { response, opened } = await ctx.sessions.start(args);
    const next = `Next: ${TOOL.observe} (to see the page and its action ids) or ${TOOL.step} with {"type":"goto","url":…}.`;
    return { text: [sessionLine(response), opened?.text, next].filter((line) => line !== undefined).join('\n'), structured: response };
  },
});
