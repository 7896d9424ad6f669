import type { SessionResponse } from '../notte/session.js';

/** One line per session: what an agent needs to decide its next call. */
export function sessionLine(session: SessionResponse): string {
  const parts = [`Session ${session.session_id} ${session.status}`];
  if (session.status === 'active') {
    parts.push(`${session.browser_type}${session.headless ? ' headless' : ''} ${session.viewport_width ?? '?'}x${session.viewport_height ?? '?'}`);
    parts.push(`idle timeout ${session.idle_timeout_minutes} min, max ${session.max_duration_minutes} min`);
  } else {
    parts.push(`closed_at ${session.closed_at ?? '?'}${session.error === null ? '' : ` (${session.error})`}`);
  }
  parts.push(`${session.steps.length} steps, ${session.duration}`);
  if (session.viewer_url !== null && session.status === 'active') parts.push(`watch: ${session.viewer_url}`);
  return parts.join(' · ');
}
