import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { BsmError } from '../errors.js';
import { SessionReplay } from '../notte/replay.js';
import { sessionIdArg } from '../notte/session.js';
import { TOOL } from '../notte/toolNames.js';
import { defineTool } from './defineTool.js';

/** A recording file at most this big is also embedded in the result; bigger ones are only linked. */
export const MAX_EMBEDDED_BYTES = 2 * 1024 * 1024;

function fileBlocks(url: string | null, mimeType: string, embed: boolean): ContentBlock[] {
  if (url === null) return [];
  const path = fileURLToPath(url);
  if (!existsSync(path)) return [];
  const size = statSync(path).size;
  const link: ContentBlock = { type: 'resource_link', uri: url, name: basename(path), mimeType, size };
  if (!embed || size > MAX_EMBEDDED_BYTES) return [link];
  return [link, { type: 'resource', resource: { uri: url, mimeType, blob: readFileSync(path).toString('base64') } }];
}

export const sessionReplay = defineTool({
  name: TOOL.replay,
  title: 'Get a session recording',
  description: `After ${TOOL.stop} of a session started with recording: true: its Playwright trace and MP4 video, as resource links.`,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({
    session_id: sessionIdArg,
    embed: z.boolean().default(false).describe('Also embed files up to 2 MiB.'),
  }),
  output: SessionReplay,
  async handle({ session_id, embed }, ctx) {
    const replay = await ctx.sessions.replay(session_id);
    const resources = [...fileBlocks(replay.trace_url, 'application/zip', embed), ...fileBlocks(replay.mp4_url, 'video/mp4', embed)];
    if (resources.length === 0) throw new BsmError('E_REPLAY_NOT_READY', `The recording of session ${session_id} has expired (--recordings-ttl) or was never written.`, `Start a new one with ${TOOL.start} and recording: true.`);
    const video = replay.video_duration_ms === null ? `no video (${replay.video_error ?? 'none'})` : `video ${(replay.video_duration_ms / 1000).toFixed(1)} s, ${replay.video_frames ?? 0} frames`;
    return { text: `Recording of ${session_id}: trace ${replay.trace_url ?? 'missing'} · ${video} · kept until ${replay.expires_at}`, structured: replay, resources };
  },
});
