import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import { runChaos } from './chaosRun.js';
import { startHttpServer } from './harness.js';
import { runLoad } from './loadRun.js';

// The CI-sized version of `npm run soak`: the 16 clients × 3 rounds, then 20 chaos cycles. Counts, not timings.
let pages: PageServer;

beforeAll(async () => {
  pages = await PageServer.start();
});

afterAll(async () => {
  await pages.close();
});

describe('soak (small)', () => {
  it('16 HTTP clients on one server lose no operation, and the heap returns near idle after they leave', async () => {
    const server = await startHttpServer([], ['--expose-gc']);
    const heap = async (): Promise<number> => {
      await fetch(`${server.origin}/healthz?gc=1`);
      const body = (await (await fetch(`${server.origin}/healthz?gc=1`)).json()) as { heap_used_bytes: number };
      return body.heap_used_bytes;
    };
    try {
      const warm = await runLoad(server, pages, 1, 1);
      expect(warm.failures).toEqual([]);
      const idle = await heap();
      const figures = await runLoad(server, pages, 16, 3);
      expect(figures.failures).toEqual([]);
      expect(figures.transportErrors).toBe(0);
      expect(figures.ops).toBe(16 * (2 + 2 * 3));
      // Three more cycles: a per-conversation leak grows with each; a settled heap does not.
      for (let i = 0; i < 3; i += 1) expect((await runLoad(server, pages, 8, 1)).failures).toEqual([]);
      expect(await heap()).toBeLessThan(idle * 1.6);
    } finally {
      await server.stop();
    }
  }, 480_000);

  it('chaos: browser, renderer, client and server killed, 20 random abrupt cycles, and no Chromium left', async () => {
    const figures = await runChaos(pages, 20, 7);
    expect(figures.failures).toEqual([]);
    expect(figures.leftAfter).toEqual({ 'browser killed': 0, 'renderer killed': 0, 'client killed, then server killed': 0, '20 random cycles': 0 });
  }, 480_000);
});
