import { z } from 'zod';
import { Observation, observeInputShape } from '../notte/observation.js';
import { sessionIdArg } from '../notte/session.js';
import { TOOL } from '../notte/toolNames.js';
import { defineTool } from './defineTool.js';
import { VaultCredential, vaultLine } from './vaultListing.js';

export const observe = defineTool({
  name: TOOL.observe,
  title: 'Observe the page',
  description:
    `The page as compact text with action ids (L link, B button, I input, O option, F image, M other) for ${TOOL.step}, valid until the next ${TOOL.observe}. ` +
    `To find one thing on a long page, pass instructions: matches come first, far cheaper than reading on with cursor. Full text: ${TOOL.scrape}.`,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  input: z.strictObject({ session_id: sessionIdArg, ...observeInputShape }),
  output: Observation.extend({ vault: z.array(VaultCredential).optional().describe('Credentials for this page: fill their placeholders.') }),
  async handle({ session_id, ...options }, ctx) {
    const result = await ctx.sessions.observe(session_id, options);
    const images = result.screenshot === undefined ? [] : [{ data: result.screenshot.toString('base64'), mimeType: 'image/jpeg' }];
    const vault = ctx.sessions.vaultCredentials(session_id, result.observation.metadata.url);
    const listed = vault === undefined ? undefined : vaultLine(vault);
    return { text: listed === undefined ? result.text : `${result.text}\n${listed}`, structured: { ...result.observation, ...(vault === undefined ? {} : { vault }) }, images };
  },
});
