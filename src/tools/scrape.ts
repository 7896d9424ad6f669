import { z } from 'zod';
import { DataSpace, ScrapeInputShape } from '../notte/scrape.js';
import { sessionIdArg } from '../notte/session.js';
import { defineTool } from './defineTool.js';

export const scrape = defineTool({
  name: 'scrape',
  title: 'Scrape the page',
  description:
    'Read the content of the active tab as markdown (POST /sessions/{id}/page/scrape): the whole page, one selector, or only_main_content. ' +
    'Give response_format (a JSON Schema) and/or instructions to get structured data: extracted by your client\'s model when it offers sampling, ' +
    'or from the page\'s own tables and lists; otherwise structured.success is false and the markdown is there for you to read. ' +
    'Long pages continue with cursor. Use observe, not scrape, to find things to click.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  input: z.strictObject({ session_id: sessionIdArg, ...ScrapeInputShape }),
  output: DataSpace,
  async handle({ session_id, ...params }, ctx) {
    const sample = ctx.sample;
    const result = await ctx.sessions.scrape(session_id, params, sample === undefined ? {} : { sample });
    return { text: result.text, structured: result.data };
  },
});
