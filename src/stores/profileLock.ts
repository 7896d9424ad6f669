import { openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { BsmError } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';

/** Locks this process holds, so a second session here is refused even though the lock file names a live pid (ours). */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    // EPERM: the process exists but is someone else's; only ESRCH means it is gone.
    return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM';
  }
}

function holder(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock file `path` (O_EXCL, with our pid in it). A lock whose pid is dead, or ours but not held by this
 * process (a pid reused after a crash), is stale and taken over. Returns the release function.
 */
export function takeLock(path: string, what: string): () => void {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (held.has(path)) break;
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(path);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(path);
        rmSync(path, { force: true });
      };
    } catch (error: unknown) {
      if (!(typeof error === 'object' && error !== null && 'code' in error && error.code === 'EEXIST')) throw error;
      const pid = holder(path);
      const stale = pid === undefined || pid === process.pid || !alive(pid);
      if (!stale) break;
      rmSync(path, { force: true });
    }
  }
  throw new BsmError('E_PROFILE_LOCKED', `${what} is in use by another session that persists it.`, `Stop that session with ${TOOL.stop}, or start with "persist": false (read-only), then call ${TOOL.start} again.`);
}
