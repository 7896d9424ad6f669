import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layers point one way: tools → sessions → drivers → page. `notte/` (the API shapes) is a leaf any layer may use.
const layer = (from, forbidden) => ({
  files: [`src/${from}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((dir) => ({ group: [`**/${dir}/*`], message: `src/${from} must not import src/${dir} (layers: tools → sessions → drivers → page).` })) }],
  },
});

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
  layer('page', ['tools', 'sessions', 'drivers']),
  layer('drivers', ['tools', 'sessions']),
  layer('sessions', ['tools']),
  layer('notte', ['tools', 'sessions', 'drivers', 'page']),
  // What a user or a page can cause is a BsmError with a specific code; a bare Error would reach the agent as E_INTERNAL.
  {
    files: ['src/page/**/*.ts', 'src/sessions/**/*.ts', 'src/drivers/**/*.ts'],
    ignores: ['src/page/injected/**'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Error']", message: 'Throw a BsmError(code, message, hint) from src/errors.ts: a bare Error reaches the agent as E_INTERNAL.' }],
    },
  },
  { files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'src/cli.ts'], rules: { 'no-console': 'off' } },
);
