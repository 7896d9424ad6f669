import { z } from 'zod';
import { DataSpace, ScrapeInputShape } from '../notte/scrape.js';
import { sessionIdArg } from '../notte/session.js';
import { TOOL } from '../notte/toolNames.js';
import { defineTool } from './defineTool.js';

export const scrape = defineTool({
  name: TOOL.scrape,
  title: 'Scrape the page',
  description:
    'The page (or a selector, or its main content) as markdown; with response_format and/or instructions, structured data too. ' +
    `Long pages continue with cursor. To find something to act on, use ${TOOL.observe}.`,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  input: z.strictObject({ session_id: sessionIdArg, ...ScrapeInputShape }),
  output: DataSpace,
  async handle({ session_id, ...params }, ctx) {
    const sample = ctx.sample;
    const result = await ctx.sessions.scrape(session_id, params, sample === undefined ? {} : { sample });
    return { text: result.text, structured: result.data };
  },
});
