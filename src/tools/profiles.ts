import { z } from 'zod';
import { MAX_NAME } from '../notte/limits.js';
import { profileIdArg } from '../notte/state.js';
import { TOOL } from '../notte/toolNames.js';
import { defineTool } from './defineTool.js';

const ProfileInfo = z.object({ profile_id: z.string(), created_at: z.string(), updated_at: z.string(), persisted_domains: z.array(z.string()) });

export const profileList = defineTool({
  name: TOOL.profileList,
  title: 'List browser profiles',
  description: `Saved profiles (logins kept across sessions). Use one via ${TOOL.start} profile.`,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({ name: z.string().max(MAX_NAME).optional().describe('Only ids containing this.') }),
  output: z.object({ items: z.array(ProfileInfo) }),
  async handle({ name }, ctx) {
    const items = ctx.state.profiles().filter((profile) => name === undefined || profile.profile_id.includes(name));
    const lines = items.map((profile) => `${profile.profile_id} (${profile.persisted_domains.join(', ') || 'empty'}), updated ${profile.updated_at}`);
    return { text: [`${items.length} profile(s)`, ...lines].join('\n'), structured: { items } };
  },
});

export const profileDelete = defineTool({
  name: TOOL.profileDelete,
  title: 'Delete a browser profile',
  description: 'Delete a saved profile and its cookies; refused while a session persists it.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({ profile_id: profileIdArg }),
  output: z.object({ success: z.boolean(), message: z.string() }),
  async handle({ profile_id }, ctx) {
    const existed = ctx.state.deleteProfile(profile_id);
    const message = existed ? `Deleted profile ${profile_id}.` : `No profile ${profile_id}; nothing to delete.`;
    return { text: message, structured: { success: true, message } };
  },
});
