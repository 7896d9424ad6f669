import { describe, expect, it } from 'vitest';
import { compileJsonSchema, viewSchema } from '../../src/page/structured/jsonSchema.js';
import type { CompiledSchema } from '../../src/page/structured/jsonSchema.js';

function compile(schema: unknown): CompiledSchema {
  const compiled = compileJsonSchema(schema);
  if ('error' in compiled) throw new Error(compiled.error);
  return compiled;
}

describe('compileJsonSchema', () => {
  const products = compile({
    type: 'array',
    items: {
      type: 'object',
      properties: { name: { type: 'string' }, price: { type: 'number' }, qty: { type: 'integer' }, kind: { enum: ['new', 'used'] }, note: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
      required: ['name', 'price'],
    },
  });

  it('accepts valid data', () => {
    expect(products.validate([{ name: 'Kettle', price: 24.99, qty: 2, kind: 'new', note: null }])).toEqual({ ok: true });
    expect(products.validate([])).toEqual({ ok: true });
  });

  it('names the path and the problem of every invalid value', () => {
    const result = products.validate([{ name: 'Kettle', price: '24.99' }, { price: 1, qty: 1.5, kind: 'broken' }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain('$[0].price: Invalid input: expected number, received string');
    expect(result.error).toContain('$[1].name: Invalid input: expected string, received undefined');
    expect(result.error).toContain('$[1].qty:');
    expect(result.error).toContain('$[1].kind: Invalid option: expected one of "new"|"used"');
  });

  it('rejects the wrong root type', () => {
    expect(products.validate({ name: 'x' })).toMatchObject({ ok: false, error: expect.stringMatching(/^\$: .*expected array/) });
  });

  it('understands draft-7 definitions and OpenAPI nullable', () => {
    const draft7 = compile({ type: 'object', properties: { a: { $ref: '#/definitions/s' } }, definitions: { s: { type: 'string' } } });
    expect(draft7.validate({ a: 'x' })).toEqual({ ok: true });
    expect(draft7.validate({ a: 1 }).ok).toBe(false);
    const openapi = compile({ type: 'object', properties: { a: { type: 'string', nullable: true } } });
    expect(openapi.validate({ a: null })).toEqual({ ok: true });
  });

  it('reports a schema it cannot use instead of throwing', () => {
    expect(compileJsonSchema('a string')).toEqual({ error: 'response_format must be a JSON Schema object.' });
    const broken = compileJsonSchema({ type: 'object', properties: { a: { $ref: '#/$defs/missing' } } });
    expect(broken).toMatchObject({ error: expect.stringMatching(/^response_format is not a usable JSON Schema: .*missing/) });
  });
});

describe('viewSchema', () => {
  it('reads types, properties, required, items, enums and nullable unions', () => {
    const view = viewSchema({
      type: 'object',
      title: 'Shop',
      properties: {
        items: { type: 'array', items: { $ref: '#/$defs/item' } },
        rating: { type: ['number', 'null'] },
        state: { enum: ['open', 'closed'] },
      },
      required: ['items'],
      $defs: { item: { type: 'object', properties: { name: { type: 'string' } } } },
    });
    expect([...view.types]).toEqual(['object']);
    expect(view.title).toBe('Shop');
    expect(view.required).toEqual(['items']);
    expect([...(view.properties.get('items')?.items?.properties.keys() ?? [])]).toEqual(['name']);
    expect([...(view.properties.get('rating')?.types ?? [])]).toEqual(['number', 'null']);
    expect(view.properties.get('state')?.enumValues).toEqual(['open', 'closed']);
    expect([...(view.properties.get('state')?.types ?? [])]).toEqual(['string']);
  });
});
