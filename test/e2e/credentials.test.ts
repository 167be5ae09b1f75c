// Set Credentials… for one agent, as a user does it from the palette: the key (a value made up for this run) reaches
// that agent's environment when it restarts — Claude Code sends it to the scripted model server as its API key, and
// it is in the environment of that agent's claude process only — and it appears nowhere else: not in Flotilla's
// store or its other files, not in any log, not in a settings file, not on the command line of the agent's processes.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { claudeSandbox } from './claudeFixture';
import { agentRow, eventually, newClaudeAgent, storedAgent, storePath, worktreeOf } from './agentSteps';

const SECRET = `sk-ant-e2e-${randomBytes(16).toString('hex')}`;

/** Every process under `pid` (itself included), from /proc. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent is the 2nd field after the command name, which is in parentheses and may hold spaces.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]!) ?? []));
  return all;
}

const readProc = (pid: number, file: 'cmdline' | 'environ'): string => {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
};

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
}

/** The files among `files` whose bytes hold the secret. */
const holding = (files: string[]): string[] => files.filter((f) => fs.readFileSync(f).includes(SECRET));

describe('Credentials for one agent', function () {
  this.timeout(300_000);
  useFreshWorkbench();

  it('reach its environment and appear nowhere else', async () => {
    const { workbench, page, workspace, server } = e2eSession();
    const models = claudeSandbox().modelServer;
    await workbench.openViewContainer('Flotilla');
    for (const name of ['keyed', 'plain']) claudeSandbox().trust(worktreeOf(workspace, name));
    // Claude Code asks once before using a key it has not seen: this one is approved like the fixture's.
    claudeSandbox().approveApiKey(SECRET);
    await newClaudeAgent('keyed', '[scenario:text-only] keyed-marker');
    await newClaudeAgent('plain', '[scenario:text-only] plain-marker');
    await agentRow('keyed', /ready for review|idle/).waitFor({ state: 'visible', timeout: 60_000 });

    // Set Credentials… → One agent… → keyed → ANTHROPIC_API_KEY → the value in a password box.
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    const row = (text: string | RegExp) => widget.locator('.monaco-list-row', { hasText: text }).first();
    await workbench.runCommand('Flotilla: Set Credentials…');
    await row('One agent…').waitFor({ state: 'visible' });
    await input.fill('One agent');
    await row('One agent…').waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await row('plain').waitFor({ state: 'visible' });
    await input.fill('keyed');
    await row('plain').waitFor({ state: 'hidden' });
    await page.keyboard.press('Enter');
    await row('ANTHROPIC_API_KEY').waitFor({ state: 'visible' });
    await input.fill('ANTHROPIC_API_KEY');
    await page.keyboard.press('Enter');
    await widget.locator('.quick-input-title', { hasText: 'ANTHROPIC_API_KEY for keyed' }).waitFor({ state: 'visible' });
    assert.equal(await input.getAttribute('type'), 'password', 'the value is typed into a password box');
    await input.fill(SECRET);
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden' });

    // An environment is set when a process starts: the notification offers the restart that gives the agent the key.
    const bodyHas = (r: { body: unknown }, marker: string) => JSON.stringify(r.body ?? '').includes(marker);
    const keyedTurnsFrom = (start: number) => models.requests.slice(start).filter((r) => r.kind === 'turn' && bodyHas(r, 'keyed-marker'));
    const beforeRestart = models.requests.length;
    await workbench.clickNotificationButton(/ANTHROPIC_API_KEY is stored for keyed; it gets it in its environment when it starts again/, 'Restart keyed');
    await agentRow('keyed-2').waitFor({ state: 'visible' });
    // keyed-2's own turns are those of its session (the old keyed, stopping, may still send a request of its own).
    const keyed2Turns = () => models.requests.filter((r) => r.kind === 'turn' && r.conversation !== undefined && r.conversation === storedAgent('keyed-2').sessionId);
    assert.ok(await eventually(() => keyed2Turns().length > 0, 60_000), `keyed-2 asked the model server (its restarted prompt); turns since the restart: ${keyedTurnsFrom(beforeRestart).map((r) => r.conversation).join(', ')}`);
    await agentRow('keyed-2', /ready for review|idle/).waitFor({ state: 'visible', timeout: 60_000 });

    // It reached keyed-2: Claude Code sent it as its API key, and only for keyed's conversation.
    const tail = (v: unknown) => (typeof v === 'string' ? `…${v.slice(-6)}` : String(v));
    const restarted = keyed2Turns();
    assert.ok(restarted.every((r) => r.headers['x-api-key'] === SECRET), `keyed-2 sent the key: got ${restarted.map((r) => tail(r.headers['x-api-key'])).join(', ')}`);
    const withKey = models.requests.filter((r) => r.headers['x-api-key'] === SECRET);
    assert.ok(withKey.every((r) => r.kind !== 'turn' || bodyHas(r, 'keyed-marker')), "only keyed's conversation carries it");
    const plainTurns = models.requests.filter((r) => r.kind === 'turn' && bodyHas(r, 'plain-marker'));
    assert.ok(plainTurns.length > 0 && plainTurns.every((r) => r.headers['x-api-key'] !== SECRET), 'plain uses the fixture key');

    const keyedTree = processTree(storedAgent('keyed-2').terminalPid!);
    const plainTree = processTree(storedAgent('plain').terminalPid!);
    assert.ok(keyedTree.some((pid) => readProc(pid, 'environ').split('\0').includes(`ANTHROPIC_API_KEY=${SECRET}`)), "it is in the environment of keyed-2's processes");
    assert.ok(plainTree.every((pid) => !readProc(pid, 'environ').includes(SECRET)), "it is not in plain's environment");

    // Nowhere else: command lines, Flotilla's store and files, every log, every settings file.
    for (const pid of [...keyedTree, ...plainTree]) assert.ok(!readProc(pid, 'cmdline').includes(SECRET), `not on the command line of process ${pid}: ${readProc(pid, 'cmdline').replaceAll('\0', ' ')}`);
    const flotillaFiles = filesUnder(path.dirname(storePath()));
    assert.ok(flotillaFiles.some((f) => f.endsWith('flotilla.db')), `the store is among ${flotillaFiles.length} files`);
    assert.deepEqual(holding(flotillaFiles), [], "Flotilla's store and files");
    const logs = [...filesUnder(path.join(server.userDataDir, 'logs')), server.outputFile];
    assert.ok(logs.some((f) => /Flotilla[^/]*\.log$/.test(f)), "the Flotilla output channel's log is among the logs");
    assert.deepEqual(holding(logs), [], 'logs');
    const settings = [path.join(server.userDataDir, 'User', 'settings.json'), path.join(server.userDataDir, 'Machine', 'settings.json'), path.join(workspace, '.vscode', 'settings.json')].filter((f) => fs.existsSync(f));
    assert.ok(settings.length >= 1);
    assert.deepEqual(holding(settings), [], 'settings files');
  });
});
