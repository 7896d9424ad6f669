import { BsmError } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';

/**
 * First come, first served, a few at a time: opening a context and its first tab spawns a renderer, and on a
 * small machine sixteen spawned at once all finish late together; in turn, the first ones are ready early and
 * none waits longer than it would have. A start whose caller gave up (its signal aborted) leaves the line.
 */
export class StartQueue {
  readonly #limit: number;
  #running = 0;
  readonly #waiting: { go: () => void; signal: AbortSignal | undefined }[] = [];

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  async run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#turn(signal);
    try {
      return await job();
    } finally {
      this.#running -= 1;
      this.#next();
    }
  }

  #turn(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(aborted());
    if (this.#running < this.#limit) {
      this.#running += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const entry = {
        signal,
        go: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        const index = this.#waiting.indexOf(entry);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(aborted());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(entry);
    });
  }

  #next(): void {
    while (this.#running < this.#limit) {
      const entry = this.#waiting.shift();
      if (entry === undefined) return;
      if (entry.signal?.aborted === true) continue;
      this.#running += 1;
      entry.go();
    }
  }
}

function aborted(): BsmError {
  return new BsmError('E_START_TIMEOUT', 'The session start was given up while it waited for its turn.', `Call ${TOOL.start} again, or raise --start-timeout.`);
}
