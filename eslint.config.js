import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layers point one way: tools → sessions → drivers → page. `notte/` (the API shapes) is a leaf any layer may use.
const layer = (from, forbidden) => ({
  files: [`src/${from}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((dir) => ({ group: [`**/${dir}/*`], message: `src/${from} must not import src/${dir} (layers: tools → sessions → drivers → page).` })) }],
  },
});

// Messages name the next tool through TOOL (src/notte/toolNames.ts), so a rename cannot leave a message pointing
// at a tool that no longer exists. The names are read from that file, so a new tool is guarded at once. Names with an
// underscore are refused in any string; one-word names (observe, step, scrape) are ordinary words too (an action
// type, a module path), so they are refused only inside text with a space: a sentence.
const toolBlock = /export const TOOL = \{([\s\S]*?)\} as const/.exec(readFileSync(join(import.meta.dirname, 'src/notte/toolNames.ts'), 'utf8'));
if (toolBlock === null) throw new Error('eslint.config.js: TOOL not found in src/notte/toolNames.ts');
const toolNames = [...toolBlock[1].matchAll(/:\s*'([a-z_]+)'/g)].map((match) => match[1]);
const alternation = (names) => names.sort((a, b) => b.length - a.length).join('|');
const TOOL_NAMES = String.raw`(?<![\w-])(${alternation(toolNames.filter((name) => name.includes('_')))})(?![\w-])`;
const TOOL_WORDS = String.raw`^(?=[\s\S]*\s)[\s\S]*(?<![\w-])(${alternation(toolNames.filter((name) => !name.includes('_')))})(?![\w-])`;
const TOOL_MESSAGE = 'Name tools through TOOL from src/notte/toolNames.ts (e.g. `Call ${TOOL.observe} again`), not by hand.';
const handTypedToolNames = [
  { selector: `Literal[value=/${TOOL_NAMES}/]`, message: TOOL_MESSAGE },
  { selector: `Literal[value=/${TOOL_WORDS}/]`, message: TOOL_MESSAGE },
  { selector: `TemplateElement[value.raw=/${TOOL_NAMES}/]`, message: TOOL_MESSAGE },
  { selector: `TemplateElement[value.raw=/${TOOL_WORDS}/]`, message: TOOL_MESSAGE },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.scratch/**', 'bench/results/**', 'src/page/injected/vendor/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  // Typed rules need the TypeScript program; the project service builds it once for the files of tsconfig.json.
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  { files: ['src/**/*.ts'], ignores: ['src/notte/toolNames.ts'], rules: { 'no-restricted-syntax': ['error', ...handTypedToolNames] } },
  layer('page', ['tools', 'sessions', 'drivers']),
  layer('drivers', ['tools', 'sessions']),
  layer('sessions', ['tools']),
  layer('notte', ['tools', 'sessions', 'drivers', 'page']),
  // What a user or a page can cause is a BsmError with a specific code; a bare Error would reach the agent as E_INTERNAL.
  {
    files: ['src/page/**/*.ts', 'src/sessions/**/*.ts', 'src/drivers/**/*.ts'],
    ignores: ['src/page/injected/**'],
    rules: {
      // Restates the tool-name selectors: a later block's no-restricted-syntax replaces an earlier one's for its files.
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Error']", message: 'Throw a BsmError(code, message, hint) from src/errors.ts: a bare Error reaches the agent as E_INTERNAL.' }, ...handTypedToolNames],
    },
  },
  { files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'src/cli.ts'], rules: { 'no-console': 'off' } },
);
