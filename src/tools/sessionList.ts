import { SessionList, SessionListInput } from '../notte/session.js';
import { TOOL } from '../notte/toolNames.js';
import { defineTool } from './defineTool.js';
import { sessionLine } from './render.js';

export const sessionList = defineTool({
  name: TOOL.list,
  title: 'List your browser sessions',
  description: 'Your sessions, newest first.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: SessionListInput,
  output: SessionList,
  async handle(query, ctx) {
    const list = await ctx.sessions.list(query);
    const header = `${list.items.length} session(s) on page ${list.page}${list.has_next ? ' (more: next page)' : ''}`;
    return { text: [header, ...list.items.map(sessionLine)].join('\n'), structured: list };
  },
});
