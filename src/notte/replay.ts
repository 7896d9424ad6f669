import { z } from 'zod';

/**
 * GET /sessions/{id}/replay, as the Notte API answers it (mp4_url, expires_at, video_start_ms, video_duration_ms),
 * plus what a local recording also has: the Playwright trace and the video's frame count. URLs are file:// URLs
 * of this server's disk; session_replay also sends the files as MCP resources.
 */
export const SessionReplay = z.object({
  session_id: z.string(),
  mp4_url: z.string().nullable(),
  trace_url: z.string().nullable(),
  expires_at: z.string(),
  video_start_ms: z.number().int().nullable(),
  video_duration_ms: z.number().int().nullable(),
  video_frames: z.number().int().nullable(),
  /** Why there is no video, when there is none (e.g. ffmpeg missing). */
  video_error: z.string().nullable(),
});
export type SessionReplay = z.infer<typeof SessionReplay>;
