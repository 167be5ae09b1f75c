// Flotilla's activation time as a user gets it: the packaged production VSIX (`npm run package`), installed with
// `code-server --install-extension` into a fresh user-data and extensions dir, opened in a real workbench (headless
// Chromium), five fresh runs. Per run it prints what the extension logs: the time inside activate() until it returns,
// and until the fleet is fully ready (store open, policy and Bash grammar compiled, bridge listening, terminals
// reattached). Baseline in the same run: require() of the same installed bundles in a plain Node (code-server's
// Node 24) with a stub `vscode` module — the load the extension host pays before activate() is called.
// Run: flock /tmp/flotilla-workbench.lock npx tsx bench/activation.ts [--no-package] [--target universal|linux-x64]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import { basename, join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { repoRoot } from '../scripts/packageVsix';
import { launchBrowser, openWorkbench } from '../test/harness/browser';
import { flotillaLogFiles, installExtension, makeServerDirs, printLogs, serverLogFiles, startCodeServer } from '../test/harness/codeServer';
import type { CodeServer } from '../test/harness/codeServer';
import { prepare } from '../test/harness/prepare';
import type { Toolchain } from '../test/harness/prepare';
import { cleanEnv, installTeardownHandlers, run } from '../test/harness/proc';
import { createWorkspace } from '../test/harness/workspace';

const RUNS = 5;
const REQUIRE_RUNS = 5;
const TARGET_MS = 100;
const ACTIVATION_TIMEOUT_MS = 180_000;
/**
 * The line the extension logs once the fleet is ready. Older builds (everything inside activate) log
 * "Flotilla activated in X ms (store: D)": there ready = activated.
 */
const ACTIVATED = /Flotilla activated in ([\d.]+) ms(?:, fleet ready in ([\d.]+) ms)? \(store: ([^)]*)\)/;
const FAILED = /Flotilla could not start: .*/;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const ms = (n: number): string => `${n.toFixed(1)} ms`;
const list = (xs: number[]): string => xs.map((t) => t.toFixed(0)).join(', ');
const delay = (t: number) => new Promise((resolve) => setTimeout(resolve, t));

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

interface Activation {
  /** Inside activate() until it returned, as the extension measured it. */
  activationMs: number;
  /** From entering activate() until the fleet was ready. */
  readyMs: number;
  store: string;
  /** From page.goto() to the ready line being on disk: the user's wait, workbench start included. */
  sinceOpenMs: number;
}

/** Polls the Flotilla output channel's file (it appears only once the extension host writes to it). */
async function waitForReadyLine(logsDir: string, deadline: number): Promise<RegExpMatchArray> {
  for (;;) {
    for (const file of flotillaLogFiles(logsDir)) {
      const text = readFileSync(file, 'utf8');
      const ok = ACTIVATED.exec(text);
      if (ok) return ok;
      const failed = FAILED.exec(text);
      if (failed) throw new Error(`Flotilla did not activate: ${failed[0]}`);
    }
    if (Date.now() > deadline) throw new Error(`no "Flotilla activated in" line in ${logsDir} within ${ACTIVATION_TIMEOUT_MS / 1000} s`);
    await delay(50);
  }
}

/** The installed extension's folder in an extensions dir. */
function installedFolder(extensionsDir: string): string {
  const found = readdirSync(extensionsDir).filter((name) => name.startsWith('flotilla.flotilla-'));
  if (found.length !== 1) throw new Error(`expected one installed Flotilla in ${extensionsDir}, found: ${found.join(', ') || 'none'}`);
  return join(extensionsDir, found[0]!);
}

/** One fresh code-server (user data, extensions, workspace, browser profile) with the VSIX installed, torn down whatever happens. */
async function measureActivation(toolchain: Toolchain, vsix: string, n: number): Promise<{ run: Activation; folder: string }> {
  const dirs = makeServerDirs();
  await installExtension(toolchain, vsix, dirs);
  const folder = installedFolder(dirs.extensionsDir);
  let server: CodeServer | undefined;
  let context: BrowserContext | undefined;
  try {
    server = await startCodeServer(toolchain, { userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir });
    const workspace = createWorkspace();
    context = await launchBrowser(toolchain.chromium);
    const page = context.pages()[0] ?? (await context.newPage());
    const opened = performance.now();
    await openWorkbench(page, server.workbenchUrl(workspace));
    const line = await waitForReadyLine(join(dirs.userDataDir, 'logs'), Date.now() + ACTIVATION_TIMEOUT_MS);
    const activationMs = Number(line[1]);
    return { run: { activationMs, readyMs: line[2] ? Number(line[2]) : activationMs, store: line[3]!, sinceOpenMs: performance.now() - opened }, folder };
  } catch (err) {
    console.log(`  run ${n} failed; logs:`);
    if (server) printLogs(serverLogFiles(server));
    throw err;
  } finally {
    await context?.close().catch(() => undefined);
    await server?.stop();
  }
}

/** The names `vscode` exports (classes, namespaces, enums, functions), from its type declarations. */
function vscodeExportNames(): string[] {
  const dts = readFileSync(join(repoRoot, 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
  return [...new Set([...dts.matchAll(/^\s*export (?:declare )?(?:class|namespace|enum|const|let|function) (\w+)/gm)].map((m) => m[1]!))];
}

/**
 * Loads a bundle in a fresh Node with `vscode` resolved to a stub: an object with vscode's export names as its own
 * properties (a bundle copies them when it imports the module), each callable and constructible all the way down.
 * Times the require() alone (process start excluded).
 */
const REQUIRE_PROBE = `
const Module = require('node:module');
const STUB = require('node:path').join(require('node:os').tmpdir(), 'flotilla-bench-vscode-stub.js');
const handler = {
  get: (_t, key) => (key === 'prototype' ? {} : key === 'then' ? undefined : key === Symbol.toPrimitive ? () => '' : stub()),
  apply: () => stub(),
  construct: () => stub(),
};
function stub() { return new Proxy(function () {}, handler); }
const m = new Module(STUB);
m.filename = STUB;
m.loaded = true;
m.exports = Object.fromEntries(JSON.parse(process.env.FLOTILLA_VSCODE_NAMES).map((name) => [name, stub()]));
require.cache[STUB] = m;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? STUB : resolve.call(this, request, ...rest); };
const started = performance.now();
const loaded = require(process.argv[1]);
const took = performance.now() - started;
if (Object.keys(loaded).length === 0) throw new Error('the bundle exports nothing');
console.log(JSON.stringify({ ms: took, node: process.version }));
`;

async function measureRequire(node: string, bundle: string): Promise<{ times: number[]; node: string }> {
  const times: number[] = [];
  let version = '';
  for (let i = 0; i < REQUIRE_RUNS + 1; i++) {
    const result = await run(node, ['-e', REQUIRE_PROBE, bundle], { env: cleanEnv({ FLOTILLA_VSCODE_NAMES: JSON.stringify(vscodeExportNames()) }), timeoutMs: 60_000 });
    const last = result.output.trim().split('\n').pop() ?? '';
    if (result.code !== 0 || !last.startsWith('{')) throw new Error(`require(${bundle}) failed (exit ${result.code}):\n${result.output}`);
    const probe = JSON.parse(last) as { ms: number; node: string };
    version = probe.node;
    if (i > 0) times.push(probe.ms); // the first run warms the page cache
  }
  return { times, node: version };
}

async function main(): Promise<void> {
  installTeardownHandlers();
  const toolchain = await prepare();
  if (!process.argv.includes('--no-package')) {
    const packaged = await run('npm', ['run', '-s', 'package'], { cwd: repoRoot, timeoutMs: 10 * 60_000 });
    if (packaged.code !== 0) throw new Error(`npm run package failed (exit ${packaged.code}):\n${packaged.output}`);
  }
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  const target = argValue('--target') ?? 'linux-x64';
  const vsix = join(repoRoot, 'dist', `${manifest.name}-${manifest.version}-${target}.vsix`);
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package (or drop --no-package)`);

  console.log(`Activation of ${basename(vsix)} in code-server (${RUNS} fresh installs; ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)} at start)`);
  const runs: Activation[] = [];
  let folder = '';
  for (let n = 1; n <= RUNS; n++) {
    const measured = await measureActivation(toolchain, vsix, n);
    folder = measured.folder;
    const a = measured.run;
    runs.push(a);
    console.log(`  run ${n}: activate() ${ms(a.activationMs)}, fleet ready ${ms(a.readyMs)} (store: ${a.store}); ready line ${ms(a.sinceOpenMs)} after opening the workbench`);
  }

  // The bundles as installed: the entry the host loads before activate(), and any chunk it loads afterwards.
  const bundles = readdirSync(join(folder, 'dist')).filter((name) => name === 'extension.js' || name === 'fleet.js');
  const loads: { name: string; kib: number; times: number[]; node: string }[] = [];
  for (const name of bundles.sort()) {
    const path = join(folder, 'dist', name);
    const { times, node } = await measureRequire(toolchain.node24, path);
    loads.push({ name, kib: readFileSync(path).length / 1024, times, node });
  }

  const activation = median(runs.map((r) => r.activationMs));
  const ready = median(runs.map((r) => r.readyMs));
  console.log(`  activate() median: ${ms(activation)} (${list(runs.map((r) => r.activationMs))} ms)`);
  console.log(`  fleet ready median: ${ms(ready)} after entering activate() (${list(runs.map((r) => r.readyMs))} ms)`);
  console.log(`  workbench open -> ready line median: ${ms(median(runs.map((r) => r.sinceOpenMs)))}`);
  for (const load of loads) {
    const note = load.name === 'extension.js' ? 'loaded before activate()' : 'loaded after activate() returns';
    console.log(`  baseline: require() of dist/${load.name} (${load.kib.toFixed(0)} KiB, ${note}) in Node ${load.node}, ${REQUIRE_RUNS} fresh processes: median ${ms(median(load.times))} (${list(load.times)} ms)`);
  }
  const entry = loads.find((l) => l.name === 'extension.js');
  if (entry) {
    const load = median(entry.times);
    console.log(`  ratio activate() / require(extension.js): ${(activation / load).toFixed(2)}x  (before the first paint the host pays load ~${ms(load)} + activate ~${ms(activation)})`);
  }
  console.log(`  target activate() median < ${TARGET_MS} ms: ${activation < TARGET_MS ? 'met' : 'NOT met'}  (load average now ${os.loadavg()[0]!.toFixed(1)})`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
