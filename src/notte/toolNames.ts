/**
 * The tool names, in one place: tool definitions take their name from here, and every message that tells an agent
 * which tool to call next (from any layer) names it through these constants, so a rename cannot leave a message
 * pointing at a tool that no longer exists.
 */
export const TOOL = {
  start: 'session_start',
  observe: 'observe',
  step: 'step',
  scrape: 'scrape',
  status: 'session_status',
  list: 'session_list',
  stop: 'session_stop',
  replay: 'session_replay',
} as const;
export type ToolName = (typeof TOOL)[keyof typeof TOOL];
