import { SessionResponse, SessionStartInput } from '../notte/session.js';
import { defineTool } from './defineTool.js';
import { sessionLine } from './render.js';

export const sessionStart = defineTool({
  name: 'session_start',
  title: 'Start a browser session',
  description:
    'Start a real browser session (POST /sessions/start). Returns session_id; pass it to observe, step, scrape, session_status and session_stop. ' +
    'Optional url opens a page right away. Call session_stop when done: sessions also end after idle_timeout_minutes without calls.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  input: SessionStartInput,
  output: SessionResponse,
  async handle(args, ctx) {
    const { response, opened } = await ctx.sessions.start(args);
    const next = 'Next: observe (to see the page and its action ids) or step with {"type":"goto","url":…}.';
    return { text: [sessionLine(response), opened?.text, next].filter((line) => line !== undefined).join('\n'), structured: response };
  },
});
