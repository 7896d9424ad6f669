/** The server's own heap for GET /healthz; `?gc=1` collects first when node runs with --expose-gc (soak, bench). */
export function heapFigures(collect: boolean): { heap_used_bytes: number } {
  const gc = (globalThis as { gc?: () => void }).gc; // defined only under node --expose-gc
  if (collect && typeof gc === 'function') gc();
  return { heap_used_bytes: process.memoryUsage().heapUsed };
}
