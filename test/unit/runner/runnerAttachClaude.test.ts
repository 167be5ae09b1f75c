// Interactive Claude Code (no -p) on the runner, driven only through Attach: the real CLI in the runner's pty (offline,
// scripted model server), Flotilla dialled in; the test attaches as the extension's terminal does, types a prompt,
// sees the model's answer on the attached screen, and the supervisor sees the turn end with its usage.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { openPtySocket } from '../../../src/adapters/remote/runnerAttachClient';
import { startClaudeSandbox } from '../../fixtures/claudeSandbox';
import type { ClaudeSandbox } from '../../fixtures/claudeSandbox';
import { claudeAvailable } from '../claudeCode/claudeRunner';
import { startSupervisor } from '../remote/remoteKit';
import { bundleRunner, dial, eventually, startServe } from './runnerKit';

describe('interactive Claude Code on the runner, through Attach', function () {
  this.timeout(120_000);
  let sandbox: ClaudeSandbox;
  let bundle: Awaited<ReturnType<typeof bundleRunner>>;
  let repo: string;
  const cleanups: (() => unknown)[] = [];

  before(async function () {
    if (!claudeAvailable()) {
      console.warn('skipped: node_modules/.bin/claude is not installed (dev dependency @anthropic-ai/claude-code)');
      this.skip();
    }
    sandbox = await startClaudeSandbox();
    bundle = await bundleRunner();
    repo = mkdtempSync(join(tmpdir(), 'flotilla-attach-claude-'));
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
    writeFileSync(join(repo, 'README.md'), 'hello\n');
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'base'], { cwd: repo });
  });
  after(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    bundle?.dispose();
    await sandbox?.stop();
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  it('the prompt typed into the attached terminal is answered on screen, and the turn reaches Flotilla', async () => {
    const sup = await startSupervisor();
    cleanups.push(() => sup.dispose());
    const serve = await startServe({ script: bundle.script, withPty: true, env: sandbox.env });
    cleanups.push(() => serve.stop());
    const connection = dial(sup, serve);
    cleanups.push(() => connection.dispose());
    const run = await serve.cli(['run', '--name', 'chat', '--worktree', '--cwd', repo, '--', 'claude']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /pty/);
    const row = await eventually('the agent in the fleet', () => sup.fleet.list().find((a) => a.command === 'flotilla-agent://box/chat'));

    const ws = openPtySocket({ url: serve.url, token: serve.token }, 'chat');
    cleanups.push(() => ws.terminate());
    let screen = '';
    const decoder = new TextDecoder();
    ws.on('message', (data, isBinary) => {
      if (isBinary) screen += decoder.decode(data as Buffer, { stream: true });
    });
    await new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));
    ws.send(JSON.stringify({ type: 'resize', cols: 140, rows: 40 }));
    const plain = () => stripVTControlCharacters(screen);
    // The TUI moves the cursor instead of writing spaces: compare without whitespace.
    const compact = () => plain().replace(/\s+/g, '');
    // The input box is drawn once Claude Code is ready for a prompt.
    await eventually('the input prompt', () => (compact().includes('forshortcuts') ? true : undefined), 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; screen:\n${plain().slice(-2000)}`);
    });
    ws.send(Buffer.from('[scenario:text-only] say hi', 'utf8'), { binary: true });
    await eventually('the typed prompt on screen', () => (compact().includes('sayhi') ? true : undefined));
    ws.send(Buffer.from('\r', 'utf8'), { binary: true });
    await eventually('the answer on the attached screen', () => (compact().includes('Hellofromthescriptedmodel.') ? true : undefined), 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; screen:\n${plain().slice(-2000)}`);
    });
    const ended = await eventually('the turn ended in Flotilla with its usage', () => {
      const a = sup.fleet.get(row.id);
      return a && a.lastTurn === 'ended' && a.usage.output >= 9 ? a : undefined;
    }, 60_000);
    assert.equal(ended.status, 'idle');
  });
});
