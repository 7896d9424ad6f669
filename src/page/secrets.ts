/**
 * How fill-type actions get vault values without the page layer knowing vaults: the session hands a resolver in,
 * and fill asks it for the real value of a placeholder, naming the URL of the frame the field lives in (the
 * credential's origin is checked against that frame, so a cross-origin iframe cannot take it).
 */
export type SecretResolution = { ok: true; value: string; secret: boolean } | { ok: false; message: string };

export interface SecretSource {
  resolve(value: string, frameUrl: string): SecretResolution;
}

/** Every value of a record through `source` (all or nothing: one refusal and nothing is filled). */
export function resolveRecord<K extends string>(
  source: SecretSource | undefined,
  record: Partial<Record<K, string | null>>,
  frameUrl: string,
): { ok: true; values: Partial<Record<K, string | null>> } | { ok: false; message: string } {
  if (source === undefined) return { ok: true, values: record };
  const values: Partial<Record<K, string | null>> = {};
  for (const key of Object.keys(record) as K[]) { // the keys of `record` itself
    const value = record[key];
    if (typeof value !== 'string') continue;
    const got = source.resolve(value, frameUrl);
    if (!got.ok) return got;
    values[key] = got.value;
  }
  return { ok: true, values };
}
