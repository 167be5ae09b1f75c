// The VSIXs of `npm run package`, as a user gets them: each one's file list against the allowlist, then installed
// with `code-server --install-extension` into a fresh extensions dir and opened in a real workbench, where the
// extension must activate with the store driver its build promises (linux-x64: better-sqlite3 on code-server's
// plain Node 24; universal: node:sqlite). And on a host with neither driver (the universal VSIX with node:sqlite
// switched off) the Agents view says what to do. Run by the `vsix` tier (test/harness/main.ts), after `npm run package`.
// Not a *.test.ts file: the unit tier must not pick it up.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { checkVsixEntries, describeReport } from '../../../scripts/packageAllowlist';
import { repoRoot, vsixFilesIn } from '../../../scripts/packageVsix';
import { zipEntries, zipText } from '../../../scripts/packageZip';
import { launchBrowser, openWorkbench, Workbench } from '../../harness/browser';
import { flotillaLogFiles, installExtension, keepLogs, makeServerDirs, printLogs, serverLogFiles, startCodeServer } from '../../harness/codeServer';
import { prepare } from '../../harness/prepare';
import { installTeardownHandlers } from '../../harness/proc';
import { createWorkspace } from '../../harness/workspace';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string; publisher: string; engines: { vscode: string } };
const vsixDir = process.env.FLOTILLA_VSIX_DIR ?? join(repoRoot, 'dist');
const prefix = `${manifest.name}-${manifest.version}-`;

interface Expectation {
  target: string;
  flavor: 'universal' | 'platform';
  driver: 'better-sqlite3' | 'node:sqlite';
}

function expectationFor(path: string): Expectation {
  const target = basename(path, '.vsix').slice(prefix.length);
  return target === 'universal'
    ? { target, flavor: 'universal', driver: 'node:sqlite' }
    : { target, flavor: 'platform', driver: 'better-sqlite3' };
}

/** The "Flotilla activated in N ms (store: DRIVER)" line of the extension's log, once it is written. */
async function activationLine(logsDir: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const file of flotillaLogFiles(logsDir)) {
      const text = readFileSync(file, 'utf8');
      const line = text.split('\n').find((l) => /Flotilla activated/.test(l) || /could not start|cannot open its database/i.test(l));
      if (line) return line;
    }
    if (Date.now() > deadline) throw new Error(`no "Flotilla activated" line in the Flotilla log under ${logsDir} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const vsixes = vsixFilesIn(vsixDir).filter((path) => basename(path).startsWith(prefix));

describe('VSIX packages', function () {
  installTeardownHandlers();

  it('npm run package built the universal and the linux-x64 VSIX', () => {
    const targets = vsixes.map((path) => expectationFor(path).target).sort();
    assert.deepEqual(targets, ['linux-x64', 'universal'], `VSIXs in ${vsixDir}: ${vsixes.join(', ') || 'none'}`);
  });

  for (const vsix of vsixes) {
    const expected = expectationFor(vsix);

    describe(expected.target, () => {
      it('ships only allowlisted files, with the bundles, the grammar WASM and the icon', async () => {
        const entries = await zipEntries(vsix);
        const problems = describeReport(checkVsixEntries(entries, expected.flavor));
        assert.equal(problems, '', problems);
        assert.equal(entries.some((e) => e.endsWith('.map')), false);
        assert.equal(entries.includes('extension/node_modules/better-sqlite3/build/Release/better_sqlite3.node'), expected.flavor === 'platform');
        const vsixManifest = await zipText(vsix, 'extension.vsixmanifest');
        assert.equal(vsixManifest.includes(`TargetPlatform="${expected.target}"`), expected.flavor === 'platform', 'the manifest names the target platform of a platform build only');
        assert.ok(vsixManifest.includes(`Microsoft.VisualStudio.Code.Engine" Value="${manifest.engines.vscode}"`), 'engines.vscode in the manifest');
        const shipped = JSON.parse(await zipText(vsix, 'extension/package.json')) as { dependencies?: Record<string, string>; devDependencies?: unknown };
        assert.deepEqual(Object.keys(shipped.dependencies ?? {}), expected.flavor === 'platform' ? ['better-sqlite3'] : []);
        assert.equal(shipped.devDependencies, undefined);
      });

      it(`installs into a fresh code-server and activates with ${expected.driver}`, async function () {
        this.timeout(4 * 60_000);
        const toolchain = await prepare();
        const dirs = makeServerDirs();
        await installExtension(toolchain, vsix, dirs);
        const installed = readdirSync(dirs.extensionsDir).filter((name) => name.startsWith(`${manifest.publisher}.${manifest.name}-`));
        assert.equal(installed.length, 1, `installed extension folders: ${readdirSync(dirs.extensionsDir).join(', ')}`);
        const folder = join(dirs.extensionsDir, installed[0]!);
        assert.equal(existsSync(join(folder, 'node_modules', 'better-sqlite3')), expected.flavor === 'platform');

        const server = await startCodeServer(toolchain, { userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir });
        let context: BrowserContext | undefined;
        let ok = false;
        try {
          // The extension host starts only when a browser opens the workbench.
          context = await launchBrowser(toolchain.chromium);
          const page = context.pages()[0] ?? (await context.newPage());
          await openWorkbench(page, server.workbenchUrl(createWorkspace()));
          const line = await activationLine(join(dirs.userDataDir, 'logs'), 90_000);
          console.log(`      ${line.trim()}`);
          assert.match(line, /Flotilla activated/);
          assert.match(line, new RegExp(`store: ${expected.driver.replace(/[.:]/g, '\\$&')}\\)`));
          ok = true;
        } finally {
          await context?.close().catch(() => undefined);
          await server.stop();
          if (!ok) printLogs(serverLogFiles(server));
          keepLogs(server, `vsix-${expected.target}`);
        }
      });
    });
  }

  it('with neither driver, the Agents view says Flotilla could not start and what to do', async function () {
    this.timeout(4 * 60_000);
    const universal = vsixes.find((path) => expectationFor(path).target === 'universal');
    assert.ok(universal, 'no universal VSIX');
    const toolchain = await prepare();
    const dirs = makeServerDirs();
    await installExtension(toolchain, universal, dirs);
    // Node 24 without node:sqlite stands for a VS Code older than 1.101 (Node 20): no driver loads. The server
    // strips NODE_OPTIONS from the extension host's environment but hands it its own execArgv, so the flag goes
    // on the server's command line, through a wrapper in place of the node executable.
    const wrapper = join(dirs.runDir, 'node-without-sqlite');
    writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(toolchain.node24)} --no-experimental-sqlite "$@"\n`, { mode: 0o755 });
    const server = await startCodeServer({ ...toolchain, node24: wrapper }, { userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir });
    let context: BrowserContext | undefined;
    let ok = false;
    try {
      context = await launchBrowser(toolchain.chromium);
      const page = context.pages()[0] ?? (await context.newPage());
      await openWorkbench(page, server.workbenchUrl(createWorkspace()));
      const line = await activationLine(join(dirs.userDataDir, 'logs'), 90_000);
      assert.match(line, /could not start|cannot open its database/i, line);
      const workbench = new Workbench(page);
      await workbench.openViewContainer('Flotilla');
      const welcome = workbench.welcomeView('Agents');
      await welcome.getByText('Flotilla could not start').waitFor({ state: 'visible', timeout: 30_000 });
      const text = await welcome.innerText();
      assert.match(text, /VS Code 1\.101 or later/);
      assert.match(text, /Reload Window/);
      await workbench.dismissHovers().catch(() => undefined);
      await workbench.screenshot('no-sqlite-driver.png');
      ok = true;
    } finally {
      await context?.close().catch(() => undefined);
      await server.stop();
      if (!ok) printLogs(serverLogFiles(server));
      keepLogs(server, 'vsix-no-driver');
    }
  });
});
