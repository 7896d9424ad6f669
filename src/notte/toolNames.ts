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
  cookiesGet: 'session_cookies_get',
  cookiesSet: 'session_cookies_set',
  profileList: 'profile_list',
  profileDelete: 'profile_delete',
  storageList: 'storage_list',
  storageRead: 'storage_read',
  storageWrite: 'storage_write',
  replay: 'session_replay',
} as const;
export type ToolName = (typeof TOOL)[keyof typeof TOOL];

/** The tool groups beyond the session loop that an operator lists with --caps (tools/index.ts holds their tools). */
export const CAP_NAMES = ['cookies', 'profiles', 'storage', 'replay'] as const;
export type Cap = (typeof CAP_NAMES)[number];
