// Lint rules that keep the dependency arrows of docs/architecture (shared <- core/adapters <- vscode) honest.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = {
  paths: [{ name: 'vscode', message: 'Only src/vscode may import vscode (see shared/conventions.md).', allowTypeImports: false }],
  patterns: [{ group: ['**/vscode/*', '../vscode/**', '../../vscode/**'], message: 'Only src/vscode may depend on the VS Code adapter layer.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.test-cache/**', 'artifacts/**', 'docs/protocol/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'No default exports.' }],
    },
  },
  {
    files: ['src/shared/**/*.ts', 'src/core/**/*.ts', 'src/adapters/**/*.ts', 'webview/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', noVscode] },
  },
  {
    // The core decides; adapters report to it through src/core/agents. It never reaches into an adapter (issue 10).
    files: ['src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: noVscode.paths,
        patterns: [...noVscode.patterns, { group: ['**/adapters/**', '**/adapters'], message: 'src/core never imports src/adapters: adapters implement src/core/agents and are registered in the composition root.' }],
      }],
    },
  },
  {
    files: ['src/shared/**/*.ts', 'webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: noVscode.paths,
        patterns: [...noVscode.patterns, { group: ['**/core/*', '**/adapters/*', 'node:*'], message: 'src/shared and webview import only src/shared (they run in the browser too).' }],
      }],
    },
  },
  { files: ['**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  // CommonJS helpers loaded with `node --require` into other processes (the extension host probe, the example client).
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __filename: 'readonly', __dirname: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setTimeout: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
