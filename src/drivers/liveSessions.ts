/**
 * The sessions a driver has open, so its shutdown can close every one of them. A session leaves the set as it
 * closes, on whichever path (stop, timeout, crash): `open` gets the `forget` callback to run then.
 */
export class LiveSessions<S extends { close(): Promise<void> }> {
  readonly #live = new Set<S>();

  async track(open: (forget: () => void) => Promise<S>): Promise<S> {
    const ref: { session?: S } = {};
    const session = await open(() => {
      if (ref.session !== undefined) this.#live.delete(ref.session);
    });
    ref.session = session;
    this.#live.add(session);
    return session;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#live].map((session) => session.close()));
  }
}
