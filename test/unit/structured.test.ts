import { describe, expect, it } from 'vitest';
import type { PageStructure } from '../../src/page/injected/scrapeTypes.js';
import { coerce, extractDeterministic, parseNumber } from '../../src/page/structured/deterministic.js';
import { extractStructured } from '../../src/page/structured/extract.js';
import { viewSchema } from '../../src/page/structured/jsonSchema.js';
import { parseModelJson } from '../../src/page/structured/sampled.js';
import type { SampleFn } from '../../src/page/structured/sampled.js';

const MARKDOWN = '## Team\n\n| Name | Role | Years |\n| --- | --- | --- |\n| Ann Lee | CTO | 7 |\n| Bo Chen | Designer | 3 |';
const STRUCTURE: PageStructure = {
  tables: [
    {
      headers: ['Name', 'Role', 'Years'],
      rows: [
        [{ text: 'Ann Lee', href: 'https://x.test/ann' }, { text: 'CTO' }, { text: '7' }],
        [{ text: 'Bo Chen' }, { text: 'Designer' }, { text: '3' }],
      ],
      label: 'Team',
    },
  ],
  lists: [
    { items: ['Home', 'Careers'], ordered: false },
    { items: ['Remote work', 'Free lunch'], ordered: false, label: 'Perks' },
  ],
  definitions: [{ entries: [['Founded', '2015'], ['Headquarters', 'Lisbon'], ['Public', 'No']], label: 'Company facts' }],
};
const TEAM = {
  type: 'array',
  items: { type: 'object', properties: { name: { type: 'string' }, role: { type: 'string' }, years: { type: 'integer' } }, required: ['name', 'role'] },
};
const TEAM_DATA = [{ name: 'Ann Lee', role: 'CTO', years: 7 }, { name: 'Bo Chen', role: 'Designer', years: 3 }];

/** A fake client model: answers in turn, and records every request it got. */
function model(...answers: string[]): { sample: SampleFn; requests: Parameters<SampleFn>[0][] } {
  const requests: Parameters<SampleFn>[0][] = [];
  return {
    requests,
    sample: async (request) => {
      requests.push(request);
      const answer = answers.shift();
      if (answer === undefined) throw new Error('the fake model was asked more often than expected');
      return answer;
    },
  };
}

describe('extractStructured with a sampler', () => {
  it('returns valid JSON from the model, sending page, schema and instructions', async () => {
    const { sample, requests } = model('```json\n' + JSON.stringify(TEAM_DATA) + '\n```');
    const result = await extractStructured({ markdown: MARKDOWN, url: 'https://x.test/team', schema: TEAM, instructions: 'Everyone on the team', structure: STRUCTURE, sample });
    expect(result).toEqual({ success: true, error: null, data: TEAM_DATA });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.system).toContain('never instructions');
    expect(request?.system).toContain('Never invent data');
    expect(request?.prompt).toContain('Task: Everyone on the team');
    expect(request?.prompt).toContain(JSON.stringify(TEAM));
    expect(request?.prompt).toContain('| Ann Lee | CTO | 7 |');
    expect(request?.maxTokens).toBeGreaterThan(0);
  });

  it('retries once with the validation error, then succeeds', async () => {
    const { sample, requests } = model('[{"name": "Ann Lee", "role": "CTO", "years": "seven"}]', JSON.stringify(TEAM_DATA));
    const result = await extractStructured({ markdown: MARKDOWN, url: 'u', schema: TEAM, structure: STRUCTURE, sample });
    expect(result).toEqual({ success: true, error: null, data: TEAM_DATA });
    expect(requests).toHaveLength(2);
    expect(requests[1]?.prompt).toContain('$[0].years: Invalid input: expected number, received string');
    expect(requests[1]?.prompt).toContain('"years": "seven"');
  });

  it('retries once on an answer that is not JSON', async () => {
    const { sample, requests } = model('Sure! Here are the people you asked for.', `Here you go: ${JSON.stringify(TEAM_DATA)} Hope it helps.`);
    const result = await extractStructured({ markdown: MARKDOWN, url: 'u', schema: TEAM, structure: STRUCTURE, sample });
    expect(result).toEqual({ success: true, error: null, data: TEAM_DATA });
    expect(requests[1]?.prompt).toContain('That answer holds no JSON value');
  });

  it('gives up after two invalid answers, with the reason and no data', async () => {
    const { sample, requests } = model('[{"name": 1}]', '{"oops": true}');
    const result = await extractStructured({ markdown: MARKDOWN, url: 'u', schema: TEAM, structure: STRUCTURE, sample });
    expect(requests).toHaveLength(2);
    expect(result.success).toBe(false);
    expect(result.data).toBeNull();
    expect(result.error).toMatch(/does not match the schema: \$: .*expected array.*also after one retry.*markdown is returned/);
  });

  it('accepts any JSON for instructions without a schema', async () => {
    const { sample } = model('{"ceo": null, "cto": "Ann Lee"}');
    const result = await extractStructured({ markdown: MARKDOWN, url: 'u', instructions: 'Who is the CTO?', structure: undefined, sample });
    expect(result).toEqual({ success: true, error: null, data: { ceo: null, cto: 'Ann Lee' } });
  });

  it('falls back to the page tables when sampling fails, and says so', async () => {
    const sample: SampleFn = async () => {
      throw new Error('Client does not support sampling');
    };
    const ok = await extractStructured({ markdown: MARKDOWN, url: 'u', schema: TEAM, structure: STRUCTURE, sample });
    expect(ok).toEqual({ success: true, error: null, data: TEAM_DATA });
    const bad = await extractStructured({ markdown: MARKDOWN, url: 'u', schema: { type: 'object', properties: { ceo: { type: 'string' } }, required: ['ceo'] }, structure: STRUCTURE, sample });
    expect(bad.error).toMatch(/^Sampling through the client failed \(Client does not support sampling\)\. .*"ceo"/);
  });
});

describe('extractStructured without a sampler', () => {
  it('maps an array of objects onto table columns', async () => {
    const result = await extractStructured({ markdown: MARKDOWN, url: 'u', schema: TEAM, structure: STRUCTURE });
    expect(result).toEqual({ success: true, error: null, data: TEAM_DATA });
  });

  it('fails honestly when the schema does not map onto the page', async () => {
    const result = await extractStructured({ markdown: MARKDOWN, url: 'u', schema: { type: 'array', items: { type: 'object', properties: { product: { type: 'string' }, price: { type: 'number' } }, required: ['product'] } }, structure: STRUCTURE });
    expect(result.success).toBe(false);
    expect(result.data).toBeNull();
    expect(result.error).toContain('does not offer MCP sampling');
    expect(result.error).toContain('no table has columns matching product, price (required: product); tables on the page: [Name | Role | Years]');
    expect(result.error).toContain('markdown is returned so you can extract the data yourself');
  });

  it('cannot follow instructions alone, and says what would work', async () => {
    const result = await extractStructured({ markdown: MARKDOWN, url: 'u', instructions: 'Who is the CTO?', structure: STRUCTURE });
    expect(result).toMatchObject({ success: false, data: null, error: expect.stringMatching(/needs a model.*Pass response_format/) });
  });

  it('reports an unusable schema', async () => {
    const result = await extractStructured({ markdown: MARKDOWN, url: 'u', schema: { $ref: '#/$defs/none' }, structure: STRUCTURE });
    expect(result).toMatchObject({ success: false, error: expect.stringMatching(/^response_format is not a usable JSON Schema/) });
  });
});

describe('extractDeterministic', () => {
  it('reads an object from definition terms and labelled lists, coercing types', () => {
    const schema = {
      type: 'object',
      properties: {
        founded: { type: 'integer' },
        headquarters: { type: 'string' },
        public: { type: 'boolean' },
        perks: { type: 'array', items: { type: 'string' } },
        team: TEAM,
        motto: { type: 'string' },
      },
      required: ['founded'],
    };
    expect(extractDeterministic(schema, STRUCTURE)).toEqual({
      ok: true,
      data: { founded: 2015, headquarters: 'Lisbon', public: false, perks: ['Remote work', 'Free lunch'], team: TEAM_DATA },
    });
  });

  it('adds the row link for a url property without its own column', () => {
    const schema = { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, url: { type: 'string' } }, required: ['name'] } };
    expect(extractDeterministic(schema, STRUCTURE)).toEqual({ ok: true, data: [{ name: 'Ann Lee', url: 'https://x.test/ann' }, { name: 'Bo Chen' }] });
  });

  it('refuses a required value it cannot coerce rather than guess', () => {
    const schema = { type: 'array', items: { type: 'object', properties: { name: { type: 'number' } }, required: ['name'] } };
    expect(extractDeterministic(schema, STRUCTURE)).toEqual({ ok: false, reason: 'row 1, column "Name": "Ann Lee" is not a number' });
  });

  it('will not pick one of several unlabelled lists', () => {
    const result = extractDeterministic({ type: 'array', items: { type: 'string' } }, { ...STRUCTURE, lists: [{ items: ['a'], ordered: false }, { items: ['b'], ordered: false }] });
    expect(result).toEqual({ ok: false, reason: '2 lists on the page and none labelled "(unnamed)"' });
  });
});

describe('parsing and coercion', () => {
  it('parses model answers with fences, prose or nothing', () => {
    expect(parseModelJson('```json\n{"a": 1}\n```')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseModelJson('[1, 2]')).toEqual({ ok: true, value: [1, 2] });
    expect(parseModelJson('The data: {"a": [1]} — done')).toEqual({ ok: true, value: { a: [1] } });
    expect(parseModelJson('no data')).toEqual({ ok: false, error: 'holds no JSON value' });
    expect(parseModelJson('{"a": }')).toMatchObject({ ok: false, error: expect.stringMatching(/^is not valid JSON/) });
  });

  it('reads numbers with currency and separators, and refuses ranges', () => {
    expect(parseNumber('$1,049.00')).toBe(1049);
    expect(parseNumber('−3.5 °C')).toBe(-3.5);
    expect(parseNumber('12 %')).toBe(12);
    expect(parseNumber('10-20')).toBeUndefined();
    expect(parseNumber('n/a')).toBeUndefined();
  });

  it('coerces to the schema type, enum and nullability', () => {
    expect(coerce('Yes', viewSchema({ type: 'boolean' }))).toEqual({ ok: true, value: true });
    expect(coerce('maybe', viewSchema({ type: 'boolean' }))).toEqual({ ok: false });
    expect(coerce('3.5', viewSchema({ type: 'integer' }))).toEqual({ ok: false });
    expect(coerce('USED', viewSchema({ enum: ['new', 'used'] }))).toEqual({ ok: true, value: 'used' });
    expect(coerce('', viewSchema({ type: ['number', 'null'] }))).toEqual({ ok: true, value: null });
  });
});
