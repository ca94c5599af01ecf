// Lint rules. The one that matters most: the pure core (shared/model, sync, health, diff) imports
// nothing that does I/O, so it stays a set of functions of data that tests can drive table by table.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = [
  'fs', 'fs/promises', 'child_process', 'net', 'http', 'https', 'http2', 'dgram', 'dns', 'tls',
  'worker_threads', 'cluster', 'os', 'readline', 'process',
].flatMap((m) => [m, `node:${m}`]);

export const pureCoreRules = {
  'no-restricted-imports': [
    'error',
    {
      paths: ioModules.map((name) => ({ name, message: 'the pure core does no I/O' })),
      patterns: [
        { group: ['@aws-sdk/*', '@smithy/*', '@kubernetes/*', 'isomorphic-git', 'tar', 'fauxqs'],
          message: 'the pure core does no I/O: take an adapter through a port instead' },
        { group: ['**/source/*', '**/render/*', '**/kube/*', '**/store/*', '**/lambda/*', '**/config/*'],
          message: 'the pure core must not depend on adapters' },
      ],
    },
  ],
  'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'the pure core reads no environment' }],
  'no-restricted-globals': ['error', { name: 'process', message: 'the pure core does not touch the process' }, 'fetch', 'require'],
};

export const pureCoreFiles = ['shared/model/**/*.ts', 'shared/sync/**/*.ts', 'shared/health/**/*.ts', 'shared/diff/**/*.ts'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.gitwave/**', 'coverage/**', 'web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', fetch: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly', setImmediate: 'readonly', performance: 'readonly', Response: 'readonly', Request: 'readonly', Headers: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: pureCoreFiles, rules: pureCoreRules },
  {
    // The engine owns its contracts (shared/engine/contracts.ts); the Lambda layer depends on it, never the reverse.
    files: ['shared/engine/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/lambda/*'], message: 'shared/engine must not depend on shared/lambda' }] }] },
  },
);
