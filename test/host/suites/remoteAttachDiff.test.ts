// Attach and Open Diff for a runner's agent, in a real extension host: the runner's real PublicServer on a loopback
// port serves a real git worktree (a modified, an added and a deleted file) and a real process (pipes); the
// flotilla-remote file system (registered here under a test scheme: the extension owns the real one) serves both
// sides, Open Diff opens the changes editor, and a Pseudoterminal in a real terminal types into the agent.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { openPtySocket } from '../../../src/adapters/remote/runnerAttachClient';
import { Emitter } from '../../../src/core/events';
import { Fleet } from '../../../src/core/fleet/fleet';
import { startAgentProcess } from '../../../src/runner/agentProcess';
import type { AgentProcess } from '../../../src/runner/agentProcess';
import { PublicServer } from '../../../src/runner/publicServer';
import { loadOrCreateToken } from '../../../src/runner/runnerToken';
import type { WorktreeInfo } from '../../../src/shared/agent';
import { AgentsTreeProvider } from '../../../src/vscode/agentsTree';
import { RemotePseudoterminal } from '../../../src/vscode/remoteAttach';
import { runnerAgentRef } from '../../../src/vscode/remoteAgentRef';
import { openRemoteAgentDiff, remoteDiffTitle } from '../../../src/vscode/remoteDiff';
import { remoteFileUri, RemoteFileSystemProvider } from '../../../src/vscode/remoteFileSystem';
import { MemoryPersistence, memoryLogger } from '../../unit/core/fleetKit';
import { until } from '../hostWait';

const SCHEME = 'flotilla-remote-test';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd, encoding: 'utf8' });
}

describe('Attach and Open Diff for a runner agent', function () {
  this.timeout(60_000);
  let dir: string;
  let worktree: WorktreeInfo;
  let proc: AgentProcess;
  let server: PublicServer;
  let url: string;
  let token: string;
  const disposables: { dispose(): void }[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-host-diff-'));
    const repo = join(dir, 'repo');
    execFileSync('mkdir', [repo]);
    git(repo, 'init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'edit.txt'), 'before\n');
    writeFileSync(join(repo, 'gone.txt'), 'to be deleted\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'base');
    const baseCommit = git(repo, 'rev-parse', 'HEAD').trim();
    const path = join(dir, 'wt');
    git(repo, 'worktree', 'add', '-q', '-b', 'agent/differ', path, baseCommit);
    writeFileSync(join(path, 'edit.txt'), 'after\n');
    writeFileSync(join(path, 'added.txt'), 'brand new\n');
    unlinkSync(join(path, 'gone.txt'));
    worktree = { path, branch: 'agent/differ', baseCommit, repoRoot: repo };
    proc = startAgentProcess({ commandLine: `sh -c 'echo agent-ready; while read line; do echo "got:$line"; done'`, cwd: path, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, pipesOnly: true });
    const runnerToken = loadOrCreateToken(join(dir, 'token'));
    token = execFileSync('cat', [join(dir, 'token')], { encoding: 'utf8' }).trim();
    const changed = new Emitter<void>();
    server = new PublicServer({
      token: runnerToken,
      index: () => ({ type: 'runner_agents', host: 'box', agents: [] }),
      onIndexChange: (listener) => changed.event(listener),
      attach: () => false,
      hasAgent: (id) => id === 'differ',
      log: () => undefined,
      agentProcess: (id) => (id === 'differ' ? proc : undefined),
      agentWorktree: (id) => (id === 'differ' ? worktree : undefined),
    });
    url = `ws://127.0.0.1:${await server.listen('127.0.0.1', 0)}`;
  });

  after(() => {
    for (const d of disposables.splice(0).reverse()) d.dispose();
    proc?.kill('SIGKILL');
    server?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const endpoint = async () => ({ url, token });

  it('a runner agent row offers Attach and Open Diff (its contextValue has `runner`)', () => {
    const fleet = new Fleet(new MemoryPersistence(), memoryLogger());
    const tree = new AgentsTreeProvider(fleet, () => false);
    disposables.push(fleet, tree);
    const { agent: remote } = fleet.create({ name: 'differ (box)', kind: 'remote', cwd: worktree.path, command: 'flotilla-agent://box/differ' });
    const { agent: local } = fleet.create({ name: 'local', kind: 'custom', cwd: '/tmp', command: 'sleep 1' });
    assert.match(String(tree.getTreeItem(fleet.get(remote.id)!).contextValue), /\brunner\b/);
    assert.doesNotMatch(String(tree.getTreeItem(fleet.get(local.id)!).contextValue), /\brunner\b/);
    assert.deepEqual(runnerAgentRef(remote), { connection: 'box', agentId: 'differ' });
  });

  it('the flotilla-remote file system serves both sides; Open Diff opens the changes editor', async () => {
    const files = new RemoteFileSystemProvider(endpoint);
    disposables.push(files, vscode.workspace.registerFileSystemProvider(SCHEME, files, { isReadonly: true, isCaseSensitive: true }));
    const uri = (side: 'base' | 'work', path: string) => remoteFileUri({ connection: 'box', agentId: 'differ', side, path }, SCHEME);
    const text = async (u: vscode.Uri) => Buffer.from(await vscode.workspace.fs.readFile(u)).toString('utf8');
    assert.equal(await text(uri('base', 'edit.txt')), 'before\n');
    assert.equal(await text(uri('work', 'edit.txt')), 'after\n');
    assert.equal(await text(uri('work', 'added.txt')), 'brand new\n');
    assert.equal(await text(uri('base', 'gone.txt')), 'to be deleted\n');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(uri('base', 'added.txt'))), (err: unknown) => err instanceof vscode.FileSystemError && err.code === 'FileNotFound');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri('work', 'edit.txt'), Buffer.from('x'))));
    // Both sides of a file share its path (the multi-diff editor would call different paths a rename).
    assert.equal(uri('base', 'edit.txt').path, uri('work', 'edit.txt').path);
    assert.notEqual(uri('base', 'edit.txt').toString(), uri('work', 'edit.txt').toString());
    const doc = await vscode.workspace.openTextDocument(uri('work', 'edit.txt'));
    assert.equal(doc.getText(), 'after\n');

    const agent = { ...new Fleet(new MemoryPersistence(), memoryLogger()).create({ name: 'differ (box)', kind: 'remote', cwd: worktree.path, command: 'flotilla-agent://box/differ' }).agent };
    const shown = await openRemoteAgentDiff(agent, { connection: 'box', agentId: 'differ' }, { endpoint, files, scheme: SCHEME });
    assert.equal(shown, 3);
    const title = remoteDiffTitle(agent, worktree.baseCommit);
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const tab = await until('the changes editor', () => tabs().find((t) => t.label.startsWith(title)), () => JSON.stringify(tabs().map((t) => t.label)));
    assert.equal(tab.label, `${title} (3 files)`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Attach: a terminal shows the agent output and types into it; closing it leaves the agent running', async () => {
    const pty = new RemotePseudoterminal(async () => openPtySocket(await endpoint(), 'differ'), 'differ (box)');
    let written = '';
    disposables.push(pty.onDidWrite((text) => (written += text)));
    const terminal = vscode.window.createTerminal({ name: 'differ (box) (attached)', pty });
    terminal.show();
    await until('the scrollback', () => (written.includes('agent-ready') ? true : undefined), () => JSON.stringify(written));
    assert.match(written, /no pseudo-terminal/);
    pty.handleInput('hello\r');
    await until('the echo', () => (written.includes('got:hello') ? true : undefined), () => JSON.stringify(written));
    terminal.dispose();
    // A second attachment after the first one closed: the agent still answers.
    const again = new RemotePseudoterminal(async () => openPtySocket(await endpoint(), 'differ'), 'differ (box)');
    let more = '';
    disposables.push(again.onDidWrite((text) => (more += text)));
    const second = vscode.window.createTerminal({ name: 'differ (box) (attached again)', pty: again });
    disposables.push(second);
    second.show();
    await until('the scrollback again', () => (more.includes('got:hello') ? true : undefined), () => JSON.stringify(more));
    again.handleInput('again\r');
    await until('the echo after a reattach', () => (more.includes('got:again') ? true : undefined), () => JSON.stringify(more));
    assert.equal(proc.exit, undefined, 'closing the first terminal did not stop the agent');
  });
});
