import { z } from 'zod';
import { UNADVERTISED_KEY } from '../notte/limits.js';

/** A JSON Schema node, as loose as JSON itself. */
export type JsonSchema = { [key: string]: unknown };

const SAFE_INT = Number.MAX_SAFE_INTEGER;

function isRecord(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNullNode(node: unknown): boolean {
  return isRecord(node) && node['type'] === 'null' && Object.keys(node).length === 1;
}

/**
 * What a model needs from a schema node, and nothing it pays for without use:
 * - `null` alternatives are not advertised: an optional field is simply left out. Null is still accepted wherever
 *   the Notte API takes it (its own clients send it), so the advertised schema only ever says less than we accept.
 * - zod's "any safe integer" bounds (±2^53−1) say nothing, so they go; real ranges stay.
 * - `propertyNames: {type: string}` and `additionalProperties: {}` restate JSON Schema's defaults.
 * - fields marked UNADVERTISED (accepted for Notte compatibility, no effect here) are left out.
 */
function lean(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(lean);
  if (!isRecord(node)) return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema') continue;
    if ((key === 'minimum' && value === -SAFE_INT) || (key === 'maximum' && value === SAFE_INT)) continue;
    if (key === 'default' && value === null) continue;
    // Object keys are strings in JSON anyway, and an empty schema for extra keys is the default.
    if (key === 'propertyNames' && isRecord(value) && value['type'] === 'string' && Object.keys(value).length === 1) continue;
    if (key === 'additionalProperties' && isRecord(value) && Object.keys(value).length === 0) continue;
    out[key] = lean(value);
  }
  const properties = out['properties'];
  if (isRecord(properties)) {
    const hidden = Object.keys(properties).filter((key) => isRecord(properties[key]) && properties[key][UNADVERTISED_KEY] === true);
    out['properties'] = Object.fromEntries(Object.entries(properties).filter(([key]) => !hidden.includes(key)));
    const required = out['required'];
    if (Array.isArray(required)) out['required'] = required.filter((key) => !hidden.includes(String(key)));
  }
  const type = out['type'];
  if (Array.isArray(type) && type.includes('null')) {
    const rest = type.filter((name) => name !== 'null');
    out['type'] = rest.length === 1 ? rest[0] : rest;
  }
  const variants = out['anyOf'];
  if (Array.isArray(variants) && variants.some(isNullNode)) {
    const kept = variants.filter((variant) => !isNullNode(variant));
    delete out['anyOf'];
    const [only] = kept;
    if (kept.length === 1 && isRecord(only)) return { ...only, ...out };
    out['anyOf'] = kept;
  }
  return out;
}

/** The JSON Schema a tool advertises for its input, generated from the very zod schema that validates calls. */
export function wireSchema(input: z.ZodObject): JsonSchema {
  const json = z.toJSONSchema(input, { target: 'draft-7', io: 'input' });
  const leaned = lean(json);
  if (!isRecord(leaned)) throw new Error('a tool input schema is not an object'); // unreachable: toJSONSchema of an object
  return leaned;
}

/**
 * What the SDK is given as the tool's input schema: it accepts any object (our own validation runs in the tool,
 * so the caller gets our error text, with the field, the fix and no echo of a huge value), and its JSON Schema
 * is exactly `wireSchema(input)`: zod copies a schema's metadata onto its JSON Schema, which replaces the empty
 * object's own keywords. That includes the root's `$schema` URL, which no client needs and every model turn would
 * pay for in each tool: set to undefined, it is left out of the JSON.
 */
export function sdkInputSchema(input: z.ZodObject): z.ZodObject {
  return z.looseObject({}).meta({ ...wireSchema(input), $schema: undefined });
}
