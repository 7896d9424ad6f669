import type { InPageRegistry, WalkArgs } from './observeTypes.js';

/**
 * Runs inside a frame (serialized with toString): no imports, no closures over module scope.
 * Re-keys the frame's registry with the final ids once the frames are stitched in document order
 * (an iframe shifts the counters of everything after it).
 */
export function remapIds(args: { epoch: number; pairs: [number, string][] }): boolean {
  // The registry was written by walkFrame in this same document; globalThis has no such key of its own.
  const registry = (globalThis as unknown as { __bsm?: InPageRegistry }).__bsm;
  if (registry === undefined) return false;
  const ids = new Map<string, Element>();
  for (const [index, id] of args.pairs) {
    const el = registry.els[index];
    if (el !== undefined) ids.set(id, el);
  }
  registry.ids = ids;
  registry.epoch = args.epoch;
  return true;
}

/** Runs inside a frame: which visible iframe slot (index in `__bsm.slots`) each element is, or -1. */
export function slotIndexes(elements: Node[]): number[] {
  // Same registry as above, written by walkFrame in this document.
  const registry = (globalThis as unknown as { __bsm?: InPageRegistry }).__bsm;
  return elements.map((el) => (registry === undefined ? -1 : registry.slots.findIndex((slot) => slot === el)));
}

/** Runs inside a frame: the walk installed in this document under `name` (collect.ts), or null when it is not there yet. */
export function runInstalledWalk({ name, walkArgs }: { name: string; walkArgs: WalkArgs }): string | null {
  // The global is ours (collect.ts installs it) or absent.
  const walk = (globalThis as unknown as Record<string, ((a: WalkArgs) => string) | undefined>)[name];
  return typeof walk === 'function' ? walk(walkArgs) : null;
}
