import { mkdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { BrowserContext, Dialog, Download, Page } from 'playwright-core';
import { errorText } from './actions/errors.js';
import type { PageHost } from './host.js';

/**
 * Context-wide handlers that keep a session from blocking: every JavaScript dialog is answered, every download
 * is saved under the session's downloads folder, every new tab is seen. Step reads what happened during an
 * action from the event log through `mark()` / `since()`.
 */

export interface DialogEvent {
  seq: number;
  page: Page;
  type: string;
  message: string;
  handled: string;
}

export interface SavedDownload {
  path: string | null;
  error?: string;
}

export interface DownloadEvent {
  seq: number;
  page: Page;
  suggestedFilename: string;
  url: string;
  /** Resolves once the file is on disk (or saving failed); never rejects. */
  saved: Promise<SavedDownload>;
}

export interface PopupEvent {
  seq: number;
  page: Page;
}

export interface EventsSince {
  dialogs: DialogEvent[];
  downloads: DownloadEvent[];
  popups: PopupEvent[];
}

// Enough for the events of one step; older ones are of no use to anyone.
const KEEP_EVENTS = 50;

export class PageEvents {
  readonly #downloadsDir: string;
  readonly #reservedNames = new Set<string>();
  readonly #dialogs: DialogEvent[] = [];
  readonly #downloads: DownloadEvent[] = [];
  readonly #popups: PopupEvent[] = [];
  readonly #attached = new WeakSet<Page>();
  readonly #waiters = { downloads: new Set<(event: DownloadEvent) => void>(), popups: new Set<(event: PopupEvent) => void>() };
  #seq = 0;

  constructor(context: BrowserContext, downloadsDir: string) {
    this.#downloadsDir = downloadsDir;
    for (const page of context.pages()) this.#attach(page);
    context.on('page', (page) => {
      this.#attach(page);
      const event = { seq: ++this.#seq, page };
      push(this.#popups, event);
      for (const waiter of [...this.#waiters.popups]) waiter(event);
    });
  }

  /** A position in the event log; `since(mark)` returns what happened after it. */
  mark(): number {
    return this.#seq;
  }

  since(mark: number): EventsSince {
    return {
      dialogs: this.#dialogs.filter((e) => e.seq > mark),
      downloads: this.#downloads.filter((e) => e.seq > mark),
      popups: this.#popups.filter((e) => e.seq > mark),
    };
  }

  /** The first download after `mark`, or undefined after `timeoutMs`. */
  waitForDownload(mark: number, timeoutMs: number): Promise<DownloadEvent | undefined> {
    return waitForEvent(this.#downloads, this.#waiters.downloads, mark, timeoutMs);
  }

  /** The first new tab after `mark`, or undefined after `timeoutMs`. */
  waitForPopup(mark: number, timeoutMs: number): Promise<PopupEvent | undefined> {
    return waitForEvent(this.#popups, this.#waiters.popups, mark, timeoutMs);
  }

  #attach(page: Page): void {
    if (this.#attached.has(page)) return;
    this.#attached.add(page);
    page.on('dialog', (dialog) => void this.#answer(page, dialog));
    page.on('download', (download) => this.#onDownload(page, download));
  }

  async #answer(page: Page, dialog: Dialog): Promise<void> {
    const type = dialog.type();
    // A prompt gets its own default so the page goes on as if a person had pressed OK.
    const answer = type === 'prompt' ? dialog.defaultValue() : undefined;
    let handled = answer === undefined ? 'accepted' : `answered ${JSON.stringify(answer)}`;
    try {
      await dialog.accept(answer);
    } catch (error) {
      // The dialog may already be gone (page closed); nothing is blocked then.
      handled = `could not be answered: ${errorText(error)}`;
    }
    push(this.#dialogs, { seq: ++this.#seq, page, type, message: dialog.message(), handled });
  }

  #onDownload(page: Page, download: Download): void {
    const suggestedFilename = download.suggestedFilename();
    const event: DownloadEvent = {
      seq: ++this.#seq,
      page,
      suggestedFilename,
      url: download.url(),
      saved: this.#save(download, suggestedFilename),
    };
    push(this.#downloads, event);
    for (const waiter of [...this.#waiters.downloads]) waiter(event);
  }

  async #save(download: Download, suggestedFilename: string): Promise<SavedDownload> {
    if (this.#downloadsDir === '') return { path: null, error: 'this session has no file storage (use_file_storage: false)' };
    try {
      await mkdir(this.#downloadsDir, { recursive: true });
      const path = await this.#uniquePath(suggestedFilename);
      await download.saveAs(path);
      return { path };
    } catch (error) {
      return { path: null, error: errorText(error) };
    }
  }

  async #uniquePath(suggested: string): Promise<string> {
    // The page chooses the name; keep only its last segment so it cannot climb out of the downloads folder.
    const safe = basename(suggested).replace(/[^\w.\- ()]/g, '_').replace(/^\.+/, '') || 'download';
    const ext = extname(safe);
    const stem = safe.slice(0, safe.length - ext.length);
    for (let n = 0; ; n += 1) {
      const name = n === 0 ? safe : `${stem} (${n})${ext}`;
      const path = join(this.#downloadsDir, name);
      if (this.#reservedNames.has(path) || (await exists(path))) continue;
      this.#reservedNames.add(path);
      return path;
    }
  }
}

/**
 * Installs dialog, download and new-tab handling on every page of the host's context, present and future.
 * Call once right after the host is created; later calls return the same tracker.
 */
export function installPageHandlers(host: PageHost): PageEvents {
  host.state.events ??= new PageEvents(host.context, host.downloadsDir);
  return host.state.events;
}

/** The first event of `log` after `mark`: one already there, or the next to arrive within `timeoutMs`. */
function waitForEvent<E extends { seq: number }>(log: readonly E[], waiters: Set<(event: E) => void>, mark: number, timeoutMs: number): Promise<E | undefined> {
  const already = log.find((e) => e.seq > mark);
  if (already !== undefined) return Promise.resolve(already);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiters.delete(onEvent);
      resolve(undefined);
    }, timeoutMs);
    const onEvent = (event: E): void => {
      clearTimeout(timer);
      waiters.delete(onEvent);
      resolve(event);
    };
    waiters.add(onEvent);
  });
}

function push<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > KEEP_EVENTS) list.splice(0, list.length - KEEP_EVENTS);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
