import type { Driver, DriverSession, OpenHooks, OpenRequest } from './driver.js';

/** A backend that takes some sessions (a cdp_url in the request, expose_cdp) and leaves the rest to the next. */
export interface RoutedDriver extends Driver {
  takes(open: OpenRequest): boolean;
}

/**
 * Picks the backend per session: the first routed driver that takes it, else the fallback (local Chromium, or
 * the Selenium Grid under --selenium-grid). Idle release and shutdown reach every backend.
 */
export class RouterDriver implements Driver {
  readonly #routed: readonly RoutedDriver[];
  readonly #fallback: Driver;
  /** Every backend it routes to runs the Playwright page driver, which types vault placeholders' values itself. */
  readonly fillsVaultPlaceholders = true;

  constructor(routed: readonly RoutedDriver[], fallback: Driver) {
    this.#routed = routed;
    this.#fallback = fallback;
  }

  open(open: OpenRequest, hooks: OpenHooks): Promise<DriverSession> {
    const driver = this.#routed.find((candidate) => candidate.takes(open)) ?? this.#fallback;
    return driver.open(open, hooks);
  }

  async releaseIdle(): Promise<void> {
    await Promise.all([...this.#routed, this.#fallback].map((driver) => driver.releaseIdle()));
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.#routed, this.#fallback].map((driver) => driver.shutdown()));
  }
}
