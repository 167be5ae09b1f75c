// One build script, several contexts: the extension host bundle, each webview bundle, and the small
// Node programs that agents run (the fallback command hook, the remote agent runner).
// Flags: --watch (rebuild on change), --production (minify, no sourcemaps).
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** Native and host-provided modules are loaded at run time, never bundled. */
const nodeExternals = ['vscode', 'better-sqlite3'];

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const nodeProgram = (entry, outfile, extra = {}) => ({
  ...common,
  entryPoints: [entry],
  outfile,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: nodeExternals,
  // The CommonJS build of web-tree-sitter: its ES build needs import.meta.url, which a CJS bundle lacks.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' },
  ...extra,
});

const webview = (name) => ({
  ...common,
  entryPoints: [`webview/${name}/main.ts`],
  outfile: `dist/webview/${name}.js`,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
});

/**
 * The extension host's entry stays small (views and held commands); `import('./container')` in it becomes a
 * require() of the separate chunk dist/fleet.js, loaded after activate() returns.
 */
const lazyFleet = {
  name: 'lazy-fleet',
  setup(build) {
    build.onResolve({ filter: /^\.\/container$/ }, (args) => (args.importer.endsWith('extension.ts') && args.kind === 'dynamic-import' ? { path: './fleet.js', external: true } : undefined));
  },
};

const optional = (options) => (existsSync(options.entryPoints[0]) ? [options] : []);

const contexts = [
  nodeProgram('src/vscode/extension.ts', 'dist/extension.js', { plugins: [lazyFleet], supported: { 'dynamic-import': false } }),
  nodeProgram('src/vscode/container.ts', 'dist/fleet.js'),
  // The Costs report's worker thread (src/core/cost/costReportRunner.ts starts it beside dist/fleet.js).
  nodeProgram('src/core/cost/costReportWorker.ts', 'dist/costReportWorker.js'),
  // Programs that agents run, outside the extension host.
  ...optional(nodeProgram('src/adapters/claudeCode/hookProgram.ts', 'dist/hook.js')),
  // The remote runner `flotilla-agent` (package.json bin): node-pty is native, loaded at run time when installed.
  ...optional(nodeProgram('src/runner/runnerMain.ts', 'dist/runner.js', { external: [...nodeExternals, 'node-pty'], banner: { js: '#!/usr/bin/env node' } })),
  // The `flotilla` command line (package.json bin): `flotilla policy check`; needs the grammar WASM files beside it.
  ...optional(nodeProgram('src/cli/flotillaCli.ts', 'dist/flotilla.js')),
  // Webviews: every folder under webview/ with a main.ts.
  ...['trace', 'approvals', 'costs'].flatMap((name) => optional(webview(name))),
];

// Codicons for the webviews, served from dist/ so a VSIX needs no node_modules folder for them.
mkdirSync('dist/codicons', { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `dist/codicons/${file}`);
// The Bash grammar for the policy's shell analysis (src/core/policy/shellParser.ts looks next to the bundle).
copyFileSync('node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/tree-sitter.wasm');
copyFileSync('node_modules/tree-sitter-bash/tree-sitter-bash.wasm', 'dist/tree-sitter-bash.wasm');

const built = await Promise.all(contexts.map((options) => esbuild.context(options)));
if (watch) {
  await Promise.all(built.map((ctx) => ctx.watch()));
} else {
  await Promise.all(built.map((ctx) => ctx.rebuild()));
  await Promise.all(built.map((ctx) => ctx.dispose()));
}
