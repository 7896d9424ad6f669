import { redactDeep, redactText, registerSecret } from '../src/vault/redact.js';

interface RedactRow {
  case: string;
  ms: number;
}

function timeIt(fn: () => unknown, runs: number): number {
  fn();
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i += 1) fn();
  return Number(process.hrtime.bigint() - started) / 1e6 / runs;
}

/** What the vault redactor adds to a tool answer: a 1.1 MB page text and a 20 KB observation, with and without secrets. */
export function benchRedact(): RedactRow[] {
  const page = `<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit 12345 ${'x'.repeat(40)}</p>\n`.repeat(10_000);
  const observation = {
    metadata: { url: 'https://example.com/' },
    space: { description: page.slice(0, 20_000), interaction_actions: Array.from({ length: 200 }, (_, i) => ({ id: `B${i}`, label: `Button ${i}` })) },
  };
  const rows: RedactRow[] = [{ case: 'no vault loaded, 1.1 MB text', ms: timeIt(() => redactText(page), 20) }];
  for (let i = 0; i < 10; i += 1) registerSecret(`Secret-password-${i}-${'k'.repeat(i)}`, '{{vault.password}}');
  rows.push({ case: '10 secrets (90 spellings), 1.1 MB text', ms: timeIt(() => redactText(page), 20) });
  rows.push({ case: '10 secrets, 20 KB observation (200 actions)', ms: timeIt(() => redactDeep(observation), 200) });
  return rows;
}

export function redactTable(rows: RedactRow[]): string {
  return ['| case | ms per answer |', '|---|---|', ...rows.map((row) => `| ${row.case} | ${row.ms.toFixed(2)} |`)].join('\n');
}
