// Lint rules: typescript-eslint + Svelte, and the house boundary: electron/core never imports
// 'electron', the DOM, a host (main, preload, web, cli) or the renderer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

const coreBoundary = {
  files: ['electron/core/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [{ name: 'electron', message: 'electron/core runs in plain Node: no Electron here (design rule 1).' }],
        patterns: [
          { group: ['electron/*'], message: 'electron/core runs in plain Node: no Electron here.' },
          { group: ['**/main/*', '**/preload/*', '**/web/*', '**/cli/*'], message: 'The core must not import a host (design rule 1).' },
          { group: ['**/renderer/**', '*.svelte'], message: 'The core must not import the renderer.' },
        ],
      },
    ],
    'no-restricted-globals': [
      'error',
      ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'HTMLElement', 'location'].map((name) => ({
        name,
        message: 'electron/core runs in plain Node: no DOM (design rule 1).',
      })),
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte', 'renderer/**/*.svelte.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
  },
  // CommonJS scripts (scripts/*.cjs) load their dependencies with require().
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  coreBoundary,
);
