// The VSIX allowlist (scripts/packageAllowlist.ts) on made-up entry lists: what a good archive looks like, and
// each way a bad one is caught (sources, tests, maps, a native module in the universal build, missing files).
import * as assert from 'node:assert/strict';
import { checkVsixEntries } from '../../../scripts/packageAllowlist';

const universal = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/package.json',
  'extension/readme.md',
  'extension/changelog.md',
  'extension/dist/extension.js',
  'extension/dist/fleet.js',
  'extension/dist/costReportWorker.js',
  'extension/dist/hook.js',
  'extension/dist/flotilla.js',
  'extension/dist/tree-sitter.wasm',
  'extension/dist/tree-sitter-bash.wasm',
  'extension/dist/webview/approvals.js',
  'extension/dist/webview/approvals.css',
  'extension/dist/codicons/codicon.css',
  'extension/media/icon.png',
  'extension/media/walkthrough/start.md',
];

const native = [
  'extension/node_modules/better-sqlite3/package.json',
  'extension/node_modules/better-sqlite3/lib/index.js',
  'extension/node_modules/better-sqlite3/lib/methods/pragma.js',
  'extension/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
  'extension/node_modules/bindings/bindings.js',
  'extension/node_modules/bindings/package.json',
  'extension/node_modules/file-uri-to-path/index.js',
];

describe('VSIX allowlist', () => {
  it('accepts a universal build and a platform build with the native module', () => {
    assert.deepEqual(checkVsixEntries(universal, 'universal'), { unexpected: [], missing: [] });
    assert.deepEqual(checkVsixEntries([...universal, ...native], 'platform'), { unexpected: [], missing: [] });
  });

  it('refuses source maps, sources, tests and stray node_modules', () => {
    const bad = [
      'extension/dist/extension.js.map',
      'extension/src/vscode/extension.ts',
      'extension/test/unit/setup.ts',
      'extension/node_modules/zod/index.js',
      'extension/node_modules/better-sqlite3/src/better_sqlite3.cpp',
      'extension/node_modules/better-sqlite3/build/Release/test_extension.node',
      'extension/.vscodeignore',
    ];
    const report = checkVsixEntries([...universal, ...native, ...bad], 'platform');
    assert.deepEqual(report.unexpected.sort(), [...bad].sort());
  });

  it('refuses the native module in the universal build', () => {
    const report = checkVsixEntries([...universal, ...native], 'universal');
    assert.deepEqual(report.unexpected, native);
  });

  it('names what is missing: the grammar WASM, the native binary, the manifest', () => {
    const withoutWasm = universal.filter((e) => !e.endsWith('tree-sitter-bash.wasm') && e !== 'extension.vsixmanifest');
    assert.deepEqual(checkVsixEntries(withoutWasm, 'universal').missing, ['dist/tree-sitter-bash.wasm', 'extension.vsixmanifest']);
    const withoutBinary = [...universal, ...native].filter((e) => !e.endsWith('.node'));
    assert.deepEqual(checkVsixEntries(withoutBinary, 'platform').missing, ['node_modules/better-sqlite3/build/Release/better_sqlite3.node']);
  });
});
