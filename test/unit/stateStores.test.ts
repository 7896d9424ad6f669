import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CookieInput, toBrowserCookie } from '../../src/notte/state.js';
import { SessionStorage, parseStoragePath } from '../../src/stores/fileStorage.js';
import { ProfileStore } from '../../src/stores/profileStore.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bsm-state-unit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('profile store', () => {
  const state = { cookies: [{ name: 'sid', value: 'v', domain: '.shop.test', path: '/' }], origins: [{ origin: 'https://app.shop.test', localStorage: [] }] };

  test('saves by rename (no temp left), keeps created_at across saves, lists domains', () => {
    const store = new ProfileStore(dir);
    store.save('p1', state);
    const first = store.list()[0];
    store.save('p1', { cookies: [], origins: [] });
    expect(readdirSync(dir)).toEqual(['p1.json']);
    expect(store.list()).toEqual([expect.objectContaining({ profile_id: 'p1', created_at: first?.created_at, persisted_domains: [] })]);
    expect(first?.persisted_domains).toEqual(['app.shop.test', 'shop.test']);
  });

  test('a torn profile file is E_PROFILE_CORRUPT, left out of the list, and can be deleted', () => {
    const store = new ProfileStore(dir);
    writeFileSync(join(dir, 'torn.json'), '{"profile_id": "torn", "state": {"cook');
    expect(() => store.load('torn')).toThrow(expect.objectContaining({ code: 'E_PROFILE_CORRUPT' }));
    expect(store.list()).toEqual([]);
    expect(store.delete('torn')).toBe(true);
  });

  test('one lock per profile: a second is refused until the first is released; a dead pid is stale', () => {
    const store = new ProfileStore(dir);
    const release = store.lock('p');
    expect(readFileSync(join(dir, 'p.lock'), 'utf8')).toBe(String(process.pid));
    expect(() => store.lock('p')).toThrow(expect.objectContaining({ code: 'E_PROFILE_LOCKED' }));
    release();
    release(); // twice is harmless
    store.lock('p')();
    writeFileSync(join(dir, 'q.lock'), '999999999');
    store.lock('q')();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('session storage names', () => {
  test('only downloads/<name> and uploads/<name>', () => {
    expect(parseStoragePath('downloads/a b.pdf')).toEqual({ folder: 'downloads', name: 'a b.pdf' });
    for (const bad of ['a.pdf', 'downloads/../x', 'downloads/', 'uploads/a/b', 'tmp/a', '../downloads/a', 'downloads/..']) {
      expect(() => parseStoragePath(bad), bad).toThrow(expect.objectContaining({ code: 'E_INVALID_INPUT' }));
    }
  });

  test('lists files with the API FileInfo, hiding temp files', async () => {
    const storage = new SessionStorage(join(dir, 's1'));
    storage.create();
    await storage.write('cv.pdf', Buffer.from('%PDF'));
    writeFileSync(join(storage.dir('downloads'), '.partial'), 'x');
    expect(storage.list()).toEqual([{ name: 'uploads/cv.pdf', size: 4, file_ext: 'pdf', updated_at: expect.any(String) }]);
    storage.remove();
    expect(storage.list()).toEqual([]);
  });
});

describe('cookie input', () => {
  test('normalizes sameSite, mirrors expirationDate, and gives Playwright url or domain+path', () => {
    const parsed = CookieInput.parse({ name: 'a', value: '1', domain: '.x.test', sameSite: 'none', expirationDate: 1_900_000_000 });
    expect(toBrowserCookie(parsed)).toEqual({ name: 'a', value: '1', domain: '.x.test', path: '/', expires: 1_900_000_000, sameSite: 'None' });
    expect(toBrowserCookie(CookieInput.parse({ name: 'b', value: '2', url: 'https://x.test/' }))).toEqual({ name: 'b', value: '2', url: 'https://x.test/' });
    expect(CookieInput.safeParse({ name: 'c', value: '3' }).success).toBe(false);
  });
});
