import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BsmError, excerpt } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import { takeLock } from './profileLock.js';

/** A profile id names a file: letters, digits, `-` and `_` only, so no id can climb out of the store. */
export const PROFILE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** What Playwright's storageState() holds; kept opaque past these two lists. */
const SavedState = z.looseObject({ cookies: z.array(z.looseObject({ domain: z.string() })), origins: z.array(z.looseObject({ origin: z.string() })) });
export type SavedState = z.infer<typeof SavedState>;

const ProfileFile = z.object({ profile_id: z.string(), created_at: z.string(), state: SavedState });

/** The API's profile object (POST /profiles returns it). */
export interface ProfileInfo {
  profile_id: string;
  created_at: string;
  updated_at: string;
  persisted_domains: string[];
}

export function checkProfileId(id: string, field: string): void {
  if (!PROFILE_ID.test(id)) {
    throw new BsmError('E_INVALID_INPUT', `${field}: ${JSON.stringify(excerpt(id))} is not a profile id.`, 'Use letters, digits, "-" and "_" (up to 128), e.g. "notte-profile-0123456789abcdef".');
  }
}

function domainsOf(state: SavedState): string[] {
  const domains = new Set<string>();
  for (const cookie of state.cookies) domains.add(cookie.domain.replace(/^\./, ''));
  for (const origin of state.origins) if (URL.canParse(origin.origin)) domains.add(new URL(origin.origin).hostname);
  return [...domains].sort();
}

/**
 * Profiles on disk, one JSON file each under `<data-dir>/profiles/`. A save writes a temp file and renames it over
 * the old one, so a crash leaves either the old profile or the new one, never half of one.
 */
export class ProfileStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  #file(id: string): string {
    return join(this.#dir, `${id}.json`);
  }

  #read(id: string): z.infer<typeof ProfileFile> | undefined {
    let text: string;
    try {
      text = readFileSync(this.#file(id), 'utf8');
    } catch {
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined; // a torn or foreign file: reported as corrupt below
    }
    const parsed = ProfileFile.safeParse(json);
    if (!parsed.success) throw new BsmError('E_PROFILE_CORRUPT', `Profile ${id} on disk is not a saved browser state.`, `Delete it with ${TOOL.profileDelete} and log in again.`);
    return parsed.data;
  }

  /** The saved state, or undefined for a profile never saved (its first session starts empty). */
  load(id: string): SavedState | undefined {
    return this.#read(id)?.state;
  }

  save(id: string, state: SavedState): void {
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    const createdAt = this.#read(id)?.created_at ?? new Date().toISOString();
    const temp = join(this.#dir, `.${id}.${process.pid}.${Date.now()}.tmp`);
    try {
      // Cookies are the user's credentials: readable by this user only.
      const fd = openSync(temp, 'wx', 0o600);
      try {
        writeFileSync(fd, JSON.stringify({ profile_id: id, created_at: createdAt, state }));
        fsyncSync(fd); // on disk before the rename, so a power cut cannot leave an empty profile under the real name
      } finally {
        closeSync(fd);
      }
      renameSync(temp, this.#file(id));
    } catch (error: unknown) {
      // A failed write (disk full, file size limit) leaves the old profile in place and no half file beside it.
      rmSync(temp, { force: true });
      throw error;
    }
  }

  /** Only one session may persist a profile at a time; the returned function gives it back. */
  lock(id: string): () => void {
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    return takeLock(join(this.#dir, `${id}.lock`), `Profile ${id}`);
  }

  list(): ProfileInfo[] {
    let names: string[];
    try {
      names = readdirSync(this.#dir);
    } catch {
      return [];
    }
    const out: ProfileInfo[] = [];
    for (const name of names) {
      const id = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
      if (!PROFILE_ID.test(id)) continue;
      try {
        const saved = this.#read(id);
        if (saved === undefined) continue;
        out.push({ profile_id: id, created_at: saved.created_at, updated_at: statSync(this.#file(id)).mtime.toISOString(), persisted_domains: domainsOf(saved.state) });
      } catch {
        // a corrupt profile is left out of the list; profile_delete still removes it
      }
    }
    return out.sort((a, b) => a.profile_id.localeCompare(b.profile_id));
  }

  /** Refused while a session persists the profile, which would write it back at its end. */
  delete(id: string): boolean {
    const release = this.lock(id);
    try {
      const existed = statSync(this.#file(id), { throwIfNoEntry: false }) !== undefined;
      rmSync(this.#file(id), { force: true });
      return existed;
    } finally {
      release();
    }
  }
}
