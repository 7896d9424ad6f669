import { BsmError } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import type { Cookie, CookieInput } from '../notte/state.js';
import type { SessionStep } from '../notte/session.js';
import type { FileInfo } from '../stores/fileStorage.js';
import type { ProfileInfo } from '../stores/profileStore.js';
import type { DriverSession } from '../drivers/driver.js';
import type { SessionRegistry } from './registry.js';
import { sessionStorage } from './sessionState.js';
import type { SessionStorage } from '../stores/fileStorage.js';

/** What the cookie, profile and storage tools may do, bound to the calling conversation. */
export interface StateView {
  cookies(sessionId: string, urls: readonly string[] | undefined): Promise<Cookie[]>;
  setCookies(sessionId: string, cookies: readonly CookieInput[]): Promise<number>;
  profiles(): ProfileInfo[];
  deleteProfile(profileId: string): boolean;
  storageList(sessionId: string): FileInfo[];
  storageRead(sessionId: string, name: string): Promise<{ info: FileInfo; bytes: Buffer }>;
  storageWrite(sessionId: string, name: string, bytes: Buffer): Promise<FileInfo>;
}

/** Steps say a cookie operation happened, never which values (they are the user's credentials). */
function cookieStep(type: string, count: number): SessionStep {
  return { type: 'execution_result', value: { action: { type }, success: true, message: `${count} cookie(s)` } };
}

function need<K extends 'cookies' | 'addCookies'>(driver: DriverSession, member: K): NonNullable<DriverSession[K]> {
  const op = driver[member];
  if (op === undefined) throw new BsmError('E_NOT_SUPPORTED', 'This backend gives no access to the session\'s cookies.', `Use ${TOOL.step} with evaluate_js on the page instead.`);
  return op;
}

export function stateView(registry: SessionRegistry, owner: string): StateView {
  const stores = registry.stores;
  const storageOf = (sessionId: string, write: boolean): SessionStorage => {
    const session = registry.get(owner, sessionId);
    if (!session.request.use_file_storage) {
      throw new BsmError('E_NO_STORAGE', `Session ${session.id} has no file storage (use_file_storage: false).`, `Start a session with "use_file_storage": true (the default) via ${TOOL.start}.`);
    }
    // An ended session's folder is gone unless --keep-storage kept it; nothing is written to an ended one.
    if (write || !stores.keepStorage) session.assertActive();
    if (session.status === 'active') session.touch();
    return sessionStorage(stores, session.id);
  };
  return {
    cookies: async (sessionId, urls) => {
      const cookies = await registry.run(owner, sessionId, (driver) => need(driver, 'cookies')(urls), (found) => cookieStep('cookies_get', found.length));
      return cookies;
    },
    setCookies: async (sessionId, cookies) => {
      await registry.run(owner, sessionId, (driver) => need(driver, 'addCookies')(cookies), () => cookieStep('cookies_set', cookies.length));
      return cookies.length;
    },
    profiles: () => stores.profiles.list(),
    deleteProfile: (profileId) => stores.profiles.delete(profileId),
    storageList: (sessionId) => storageOf(sessionId, false).list(),
    storageRead: (sessionId, name) => storageOf(sessionId, false).read(name, stores.storageMaxBytes),
    storageWrite: async (sessionId, name, bytes) => {
      if (bytes.length > stores.storageMaxBytes) {
        throw new BsmError('E_FILE_TOO_LARGE', `content has ${bytes.length} bytes, more than this server takes (${stores.storageMaxBytes}, --storage-max-bytes).`, 'Send a smaller file, or ask the operator to raise --storage-max-bytes.');
      }
      return storageOf(sessionId, true).write(name, bytes);
    },
  };
}
