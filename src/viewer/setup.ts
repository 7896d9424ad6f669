import { join } from 'node:path';
import type { Config } from '../config.js';
import { ViewerRuntime } from './runtime.js';

/** The viewer and recordings as the flags ask: over HTTP the viewer is always on, over stdio with --viewer. */
export function viewerRuntime(config: Config): ViewerRuntime {
  return new ViewerRuntime({
    viewer: config.port !== undefined || config.viewer,
    readOnly: config.viewerReadOnly,
    maxViewers: config.viewerMaxClients,
    recordAll: config.record,
    recordingsDir: join(config.dataDir, 'recordings'),
    recordingsTtlSeconds: config.recordingsTtlSeconds,
    allowedHosts: config.allowedHosts,
  });
}
