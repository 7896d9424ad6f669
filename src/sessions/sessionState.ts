import { join } from 'node:path';
import { BsmError, errorMessage, excerpt } from '../errors.js';
import { log } from '../log.js';
import { TOOL } from '../notte/toolNames.js';
import type { SessionStartRequest } from '../notte/session.js';
import type { DriverSession, OpenRequest } from '../drivers/driver.js';
import { ProfileStore } from '../stores/profileStore.js';
import { SessionStorage } from '../stores/fileStorage.js';

/** What outlives or accompanies a session: the profile store and the per-session file storage. */
export interface StateStores {
  profiles: ProfileStore;
  /** Parent of every session's storage folder (--output-dir, or the server's temp folder). */
  outputDir: string;
  /** --keep-storage: a session's folder stays after it ends. */
  keepStorage: boolean;
  /** --storage-max-bytes: the largest file storage_read returns or storage_write takes. */
  storageMaxBytes: number;
}

/** 2 MiB: a file and its base64 still fit in the default 4 MiB --max-request-bytes. */
export const DEFAULT_STORAGE_MAX_BYTES = 2 * 1024 * 1024;

export function defaultStores(outputDir: string): Omit<StateStores, 'outputDir'> {
  return { profiles: new ProfileStore(join(outputDir, 'profiles')), keepStorage: false, storageMaxBytes: DEFAULT_STORAGE_MAX_BYTES };
}

export type OpenExtras = Pick<OpenRequest, 'downloadsDir' | 'startState' | 'uploadDirs'>;

export interface PreparedState {
  open: OpenExtras;
  /** The driver session whose close() first saves the profile, then frees its lock and storage. */
  wrap(driver: DriverSession): DriverSession;
  /** The start failed: give back the lock and the folder. */
  abandon(): void;
}

export function sessionStorage(stores: StateStores, sessionId: string): SessionStorage {
  return new SessionStorage(join(stores.outputDir, sessionId));
}

/**
 * Everything a start needs before the browser opens: the profile's lock (a persisting profile has one session at a
 * time) and saved state, the session's storage folders. Hooked into the one close path every end takes (stop,
 * idle, max duration, conversation end, shutdown), so the profile is saved whichever way the session ends.
 */
export function prepareState(stores: StateStores, sessionId: string, request: SessionStartRequest): PreparedState {
  const profile = request.profile ?? undefined;
  const release = profile?.persist === true ? stores.profiles.lock(profile.id) : () => undefined;
  const storage = sessionStorage(stores, sessionId);
  try {
    const saved = profile === undefined ? undefined : stores.profiles.load(profile.id);
    if (profile !== undefined && saved === undefined && !profile.persist) {
      throw new BsmError('E_PROFILE_NOT_FOUND', `profile.id: no saved profile ${profile.id}.`, `Start with "profile": {"id": "${profile.id}", "persist": true} to create it, or see ${TOOL.profileList}.`);
    }
    if (request.use_file_storage) storage.create();
    const cleanup = (): void => {
      release();
      if (!stores.keepStorage) storage.remove();
    };
    return {
      open: {
        downloadsDir: request.use_file_storage ? storage.dir('downloads') : '',
        startState: { profile: saved, cookies: request.cookies ?? undefined },
        uploadDirs: request.use_file_storage ? [storage.dir('uploads'), storage.dir('downloads')] : [],
      },
      wrap: (driver) => withSaveOnClose(driver, async () => (profile?.persist === true ? saveProfile(stores.profiles, profile.id, driver, sessionId) : undefined), cleanup),
      abandon: () => {
        release();
        storage.remove();
      },
    };
  } catch (error: unknown) {
    release();
    throw error;
  }
}

/** Saves the session's state into its profile; the answer is what the agent must be told when that failed. */
async function saveProfile(profiles: ProfileStore, id: string, driver: DriverSession, sessionId: string): Promise<string | undefined> {
  try {
    const state = await driver.storageState?.();
    if (state === undefined) return undefined;
    profiles.save(id, state);
    log('info', 'profile saved', { session_id: sessionId, profile: id, cookies: state.cookies.length, origins: state.origins.length });
    return undefined;
  } catch (error: unknown) {
    // A crashed browser has no state to give: the profile keeps what it had, whole.
    log('warn', 'profile not saved', { session_id: sessionId, profile: id, error: errorMessage(error) });
    return `profile ${JSON.stringify(id)} was not saved (${excerpt(errorMessage(error), 160)}); it keeps its earlier state`;
  }
}

function withSaveOnClose(driver: DriverSession, beforeClose: () => Promise<string | undefined>, afterClose: () => void): DriverSession {
  let closing: Promise<void> | undefined;
  let closeNote: string | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        closeNote = await beforeClose();
        await driver.close();
      } finally {
        afterClose();
      }
    })();
    return closing;
  };
  // Everything but close passes through untouched, members other features add (vault secrets, viewer) included.
  return new Proxy(driver, {
    get(target, key) {
      if (key === 'close') return close;
      if (key === 'closeNote') return closeNote;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
