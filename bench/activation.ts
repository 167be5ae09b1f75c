// Flotilla's activation time in a real VS Code (code-server + headless Chromium, through the test harness), as the
// extension logs it ("Flotilla activated in X ms"), three times on fresh dirs; baseline in the same run: the time to
// require() the bundled dist/extension.js in a plain Node (the host's Node 24) with a stub `vscode` module.
// Run: npx tsx bench/activation.ts [--no-build]   ($FLOTILLA_STAGED_EXTENSION: use that staged folder as is)
import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser, openWorkbench } from '../test/harness/browser';
import { flotillaLogFiles, makeServerDirs, printLogs, serverLogFiles, startCodeServer } from '../test/harness/codeServer';
import type { CodeServer } from '../test/harness/codeServer';
import { installStagedExtension } from '../test/harness/e2eSession';
import { prepare } from '../test/harness/prepare';
import type { Toolchain } from '../test/harness/prepare';
import { cleanEnv, installTeardownHandlers, run } from '../test/harness/proc';
import { buildExtension, stageExtension } from '../test/harness/stageExtension';
import type { StagedExtension } from '../test/harness/stageExtension';
import { createWorkspace } from '../test/harness/workspace';

const RUNS = 3;
const REQUIRE_RUNS = 5;
const TARGET_MS = 100;
const ACTIVATION_TIMEOUT_MS = 180_000;
const ACTIVATED = /Flotilla activated in ([\d.]+) ms \(store: ([^)]*)\)/;
const FAILED = /Flotilla could not start: .*/;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const ms = (n: number): string => `${n.toFixed(1)} ms`;
const delay = (t: number) => new Promise((resolve) => setTimeout(resolve, t));

interface Activation {
  /** What the extension measured inside activate(). */
  activationMs: number;
  store: string;
  /** From page.goto() to the log line being on disk: the user's wait, workbench start included. */
  sinceOpenMs: number;
}

/** Polls the Flotilla output channel's file (it appears only once the extension host writes to it). */
async function waitForActivationLine(logsDir: string, deadline: number): Promise<RegExpMatchArray> {
  for (;;) {
    for (const file of flotillaLogFiles(logsDir)) {
      const text = readFileSync(file, 'utf8');
      const ok = ACTIVATED.exec(text);
      if (ok) return ok;
      const failed = FAILED.exec(text);
      if (failed) throw new Error(`Flotilla did not activate: ${failed[0]}`);
    }
    if (Date.now() > deadline) throw new Error(`no "Flotilla activated in" line in ${logsDir} within ${ACTIVATION_TIMEOUT_MS / 1000} s`);
    await delay(100);
  }
}

/** One fresh code-server (user data, extensions, workspace, browser profile), torn down whatever happens. */
async function measureActivation(toolchain: Toolchain, staged: StagedExtension, n: number): Promise<Activation> {
  const dirs = makeServerDirs();
  installStagedExtension(staged, dirs.extensionsDir);
  let server: CodeServer | undefined;
  let context: BrowserContext | undefined;
  try {
    server = await startCodeServer(toolchain, { userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir });
    const workspace = createWorkspace();
    context = await launchBrowser(toolchain.chromium);
    const page = context.pages()[0] ?? (await context.newPage());
    const opened = performance.now();
    await openWorkbench(page, server.workbenchUrl(workspace));
    const line = await waitForActivationLine(join(dirs.userDataDir, 'logs'), Date.now() + ACTIVATION_TIMEOUT_MS);
    return { activationMs: Number(line[1]), store: line[2]!, sinceOpenMs: performance.now() - opened };
  } catch (err) {
    console.log(`  run ${n} failed; logs:`);
    if (server) printLogs(serverLogFiles(server));
    throw err;
  } finally {
    await context?.close().catch(() => undefined);
    await server?.stop();
  }
}

/**
 * Loads the bundle in a fresh Node with `vscode` resolved to a stub whose every property is callable and
 * constructible, and times the require() alone (process start excluded).
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
m.exports = stub();
require.cache[STUB] = m;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? STUB : resolve.call(this, request, ...rest); };
const started = performance.now();
const ext = require(process.argv[1]);
const took = performance.now() - started;
if (typeof ext.activate !== 'function') throw new Error('no activate export');
console.log(JSON.stringify({ ms: took, node: process.version }));
`;

async function measureRequire(node: string, bundle: string): Promise<{ times: number[]; node: string }> {
  const times: number[] = [];
  let version = '';
  for (let i = 0; i < REQUIRE_RUNS + 1; i++) {
    const result = await run(node, ['-e', REQUIRE_PROBE, bundle], { env: cleanEnv(), timeoutMs: 60_000 });
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
  let staged: StagedExtension;
  if (process.env.FLOTILLA_STAGED_EXTENSION) {
    staged = { dir: process.env.FLOTILLA_STAGED_EXTENSION, nativeModule: 'node24' };
  } else {
    if (!process.argv.includes('--no-build')) await buildExtension();
    staged = stageExtension({ nativeModulesDir: toolchain.nativeModulesDir });
  }
  const bundle = join(staged.dir, 'dist', 'extension.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing`);

  console.log(`Activation in code-server (${RUNS} runs, fresh user data each; ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)} at start)`);
  const runs: Activation[] = [];
  for (let n = 1; n <= RUNS; n++) {
    const a = await measureActivation(toolchain, staged, n);
    runs.push(a);
    console.log(`  run ${n}: activated in ${ms(a.activationMs)} (store: ${a.store}); log line ${ms(a.sinceOpenMs)} after opening the workbench`);
  }
  const { times: requireTimes, node } = await measureRequire(toolchain.node24, bundle);

  const activation = median(runs.map((r) => r.activationMs));
  const required = median(requireTimes);
  console.log(`  activation median: ${ms(activation)}  (workbench open -> activated median: ${ms(median(runs.map((r) => r.sinceOpenMs)))})`);
  console.log(`  baseline: require() of dist/extension.js with a stub vscode in Node ${node}, ${REQUIRE_RUNS} fresh processes: ` +
    `median ${ms(required)} (${requireTimes.map((t) => t.toFixed(0)).join(', ')} ms)`);
  console.log(`  ratio activation / require: ${(activation / required).toFixed(2)}x  (the host pays both: load ~${ms(required)} + activate ~${ms(activation)})`);
  console.log(`  target activation < ${TARGET_MS} ms: ${activation < TARGET_MS ? 'met' : 'NOT met'}  (load average now ${os.loadavg()[0]!.toFixed(1)})`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
