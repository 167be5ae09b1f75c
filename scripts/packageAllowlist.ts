// What a Flotilla VSIX may and must contain: an allowlist of paths (no sources, tests or source maps), the files
// every build must carry (bundles, grammar WASM, icon), and the native module only in platform builds.
// Used by the package script after each build and by the VSIX test on the unpacked archive.
import picomatch from 'picomatch';

/** `universal` relies on node:sqlite; a platform build also carries better-sqlite3 built for plain Node. */
export type VsixFlavor = 'universal' | 'platform';

/** Paths inside the VSIX's `extension/` folder that may ship. */
const ALLOWED = [
  'package.json',
  // vsce stores the README and CHANGELOG under lower-case names.
  'readme.md',
  'changelog.md',
  'LICENSE',
  'LICENSE.txt',
  'LICENSE.md',
  'dist/extension.js',
  // The fleet's chunk, loaded by dist/extension.js after activate() returns.
  'dist/fleet.js',
  // The Costs report's worker thread, started by the fleet's chunk.
  'dist/costReportWorker.js',
  'dist/hook.js',
  'dist/runner.js',
  'dist/flotilla.js',
  'dist/tree-sitter.wasm',
  'dist/tree-sitter-bash.wasm',
  'dist/webview/*.js',
  'dist/webview/*.css',
  'dist/codicons/codicon.css',
  'dist/codicons/codicon.ttf',
  'media/**/*.{png,svg,md}',
  'docs/security.md',
  'docs/protocol.md',
];

/** The native module as it loads at run time: its JS, its one .node binary, and `bindings` which finds it. */
const NATIVE = [
  'node_modules/better-sqlite3/package.json',
  'node_modules/better-sqlite3/LICENSE',
  'node_modules/better-sqlite3/lib/**/*.js',
  'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
  'node_modules/bindings/{package.json,bindings.js,LICENSE.md}',
  'node_modules/file-uri-to-path/{package.json,index.js,LICENSE}',
];

const REQUIRED = [
  'package.json',
  'readme.md',
  'changelog.md',
  'dist/extension.js',
  // The fleet's chunk, loaded by dist/extension.js after activate() returns.
  'dist/fleet.js',
  // The Costs report's worker thread, started by the fleet's chunk.
  'dist/costReportWorker.js',
  'dist/hook.js',
  'dist/flotilla.js',
  'dist/tree-sitter.wasm',
  'dist/tree-sitter-bash.wasm',
  'media/icon.png',
];

const REQUIRED_NATIVE = [
  'node_modules/better-sqlite3/package.json',
  'node_modules/better-sqlite3/lib/index.js',
  'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
  'node_modules/bindings/bindings.js',
  'node_modules/file-uri-to-path/index.js',
];

/** Never shipped whatever the allowlist says (belt and braces against a too-wide pattern). */
const FORBIDDEN = ['**/*.map', '**/*.ts', 'src/**', 'test/**', 'webview/**', 'scripts/**', 'bench/**', '**/*.vsix', '.*', '**/.*'];

/** Entries vsce writes beside `extension/`. */
const VSIX_METADATA = new Set(['extension.vsixmanifest', '[Content_Types].xml']);

export interface AllowlistReport {
  /** Shipped files no rule allows (or a rule forbids). */
  unexpected: string[];
  /** Files every build of this flavor must carry. */
  missing: string[];
}

/**
 * Checks the entry names of a VSIX (as in the zip: `extension/dist/extension.js`, `extension.vsixmanifest`).
 * An empty report means the archive is what we mean to ship.
 */
export function checkVsixEntries(entries: readonly string[], flavor: VsixFlavor): AllowlistReport {
  const allowed = picomatch(flavor === 'platform' ? [...ALLOWED, ...NATIVE] : ALLOWED, { dot: true });
  const forbidden = picomatch(FORBIDDEN, { dot: true });
  const files = entries.filter((entry) => !entry.endsWith('/'));
  const shipped = new Set<string>();
  const unexpected: string[] = [];
  for (const entry of files) {
    if (VSIX_METADATA.has(entry)) continue;
    if (!entry.startsWith('extension/')) {
      unexpected.push(entry);
      continue;
    }
    const path = entry.slice('extension/'.length);
    shipped.add(path);
    if (!allowed(path) || forbidden(path)) unexpected.push(entry);
  }
  const required = flavor === 'platform' ? [...REQUIRED, ...REQUIRED_NATIVE] : REQUIRED;
  const missing = required.filter((path) => !shipped.has(path));
  if (!files.includes('extension.vsixmanifest')) missing.push('extension.vsixmanifest');
  return { unexpected, missing };
}

/** One line per problem, or '' when there is none. */
export function describeReport(report: AllowlistReport): string {
  return [
    ...report.unexpected.map((path) => `not allowed in the VSIX: ${path}`),
    ...report.missing.map((path) => `missing from the VSIX: ${path}`),
  ].join('\n');
}
