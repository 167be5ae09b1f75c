// In-host checks that Flotilla starts in a real extension host: it activates, its commands and package.json
// agree both ways, its views open, and it reports the SQLite driver this run expects (better-sqlite3 when the
// native module was built for the host's Node, node:sqlite through the fallback otherwise).
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'flotilla.flotilla';

interface Contributes {
  commands?: { command: string }[];
  views?: Record<string, { id: string }[]>;
  viewsContainers?: Record<string, { id: string }[]>;
}

interface FlotillaApi {
  storeDriver?: unknown;
  activationMs?: unknown;
  /** The fleet starts after activate() returns; this settles once it has (true) or could not (false). */
  ready?: Promise<boolean>;
}

/** Log files of the Flotilla output channel under the host's logs dir. */
function flotillaLogs(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/exthost\d*[/\\]/.test(path) && /Flotilla[^/\\]*\.log$/.test(path)) found.push(path);
    }
  };
  walk(dir);
  return found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
}

describe('activation', () => {
  let ext: vscode.Extension<FlotillaApi | undefined>;
  let api: FlotillaApi | undefined;
  let contributes: Contributes;

  before(async () => {
    const found = vscode.extensions.getExtension<FlotillaApi | undefined>(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} is not loaded in this host`);
    ext = found;
    contributes = (ext.packageJSON as { contributes: Contributes }).contributes;
    // The extension activates onStartupFinished, which may come after the tests start.
    api = await ext.activate();
    assert.equal(await api?.ready, true, 'the fleet did not start (see the Flotilla log)');
  });

  it('activates and returns its API', () => {
    assert.equal(ext.isActive, true);
    assert.ok(api, 'activate() returned nothing: activation failed (see the Flotilla log)');
    assert.equal(typeof api.activationMs, 'number', 'activationMs is a number');
  });

  it('registers every command contributed in package.json', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = (contributes.commands ?? []).map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'contributed but not registered');
  });

  it('contributes every flotilla.* command it registers', async () => {
    const contributed = new Set((contributes.commands ?? []).map((c) => c.command));
    // The workbench registers commands of its own for each view (`<view id>.focus`, ...).
    const viewIds = Object.values(contributes.views ?? {}).flat().map((v) => v.id);
    const registered = (await vscode.commands.getCommands(true)).filter(
      (id) => id.startsWith('flotilla.') && !viewIds.some((view) => id.startsWith(`${view}.`)),
    );
    const stray = registered.filter((id) => !contributed.has(id));
    assert.deepEqual(stray, [], 'registered but not contributed in package.json');
  });

  it('has its view container and views', async () => {
    const containers = Object.values(contributes.viewsContainers ?? {}).flat().map((c) => c.id);
    assert.ok(containers.includes('flotilla'), 'view container flotilla is contributed');
    await vscode.commands.executeCommand('workbench.view.extension.flotilla');
    const viewIds = (contributes.views?.flotilla ?? []).map((v) => v.id);
    assert.deepEqual(viewIds.sort(), ['flotilla.agents', 'flotilla.approvals']);
    for (const id of viewIds) await vscode.commands.executeCommand(`${id}.focus`);
  });

  it('uses the SQLite driver this run expects', () => {
    const expected = process.env.FLOTILLA_EXPECT_STORE_DRIVER;
    assert.ok(expected, 'FLOTILLA_EXPECT_STORE_DRIVER is not set by the runner');
    assert.equal(api?.storeDriver, expected);
  });

  it('logs the fallback to node:sqlite (fallback run only)', async function () {
    if (process.env.FLOTILLA_EXPECT_STORE_DRIVER !== 'node:sqlite') {
      this.skip(); // only the fallback run stages a better-sqlite3 that cannot load
    }
    const logsDir = process.env.FLOTILLA_TEST_LOGS_DIR;
    assert.ok(logsDir, 'FLOTILLA_TEST_LOGS_DIR is not set by the runner');
    // The host's log writer is asynchronous (spdlog's queue, flushed per line) and has no completion event:
    // give the line a bounded time to reach the file.
    const readAll = () => flotillaLogs(logsDir).map((path) => readFileSync(path, 'utf8')).join('\n');
    const until = Date.now() + 10_000;
    let text = readAll();
    while (!/falling back to node:sqlite/.test(text) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = readAll();
    }
    assert.ok(flotillaLogs(logsDir).length > 0, `no Flotilla log file under ${logsDir}`);
    assert.match(text, /falling back to node:sqlite/);
  });
});
