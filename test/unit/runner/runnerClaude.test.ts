// The real Claude Code CLI on the runner (offline, scripted model server), in a git worktree the runner made, wired
// to the serve process by the Claude Code adapter; Flotilla dials the runner. The Bash call's approval, asked on the
// runner, waits in Flotilla's queue; the connection is killed while it waits; after the reconnect the same request is
// asked again and answered from the supervisor side; Claude Code then runs it, and its usage and end arrive.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelServer } from '../../fixtures/modelServer/modelServer';
import { startModelServer } from '../../fixtures/modelServer/modelServer';
import type { Sandbox } from '../claudeCode/claudeRunner';
import { claudeAvailable, createSandbox } from '../claudeCode/claudeRunner';
import { startSupervisor } from '../remote/remoteKit';
import { bundleRunner, dial, eventually, startServe } from './runnerKit';

describe('flotilla-agent runner with the real Claude Code CLI', function () {
  this.timeout(120_000);
  let model: ModelServer;
  let sandbox: Sandbox;
  let bundle: Awaited<ReturnType<typeof bundleRunner>>;
  const cleanups: (() => unknown)[] = [];

  before(async function () {
    if (!claudeAvailable()) {
      console.warn('skipped: node_modules/.bin/claude is not installed (dev dependency @anthropic-ai/claude-code)');
      this.skip();
    }
    model = await startModelServer();
    bundle = await bundleRunner();
    sandbox = createSandbox();
  });
  after(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await model?.stop();
    bundle?.dispose();
    sandbox?.dispose();
  });

  it('an approval asked on the runner survives a dropped connection and is answered from Flotilla; usage and the end arrive', async () => {
    const sup = await startSupervisor({
      policy: (_agent, tool) => (tool === 'Bash' ? { kind: 'approve', tier: 'approve', rule: 'test.bash' } : { kind: 'pass' }),
    });
    cleanups.push(() => sup.dispose());
    const serve = await startServe({
      script: bundle.script,
      withPty: true,
      env: {
        HOME: sandbox.home,
        CLAUDE_CONFIG_DIR: sandbox.configDir,
        ANTHROPIC_BASE_URL: model.url,
        ANTHROPIC_API_KEY: 'sk-fixture-0123456789abcdefghij',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_AUTOUPDATER: '1',
      },
    });
    cleanups.push(() => serve.stop());
    const connection = dial(sup, serve);
    cleanups.push(() => connection.dispose());

    const run = await serve.cli(['run', '--name', 'fixer', '--worktree', '--cwd', sandbox.repo, '--', 'claude', '-p', '[scenario:write-file] please']);
    assert.equal(run.code, 0, run.stderr);
    const worktree = /in (\S+)$/m.exec(run.stdout)![1]!;
    assert.notEqual(worktree, sandbox.repo, 'the agent runs in a worktree of its own');

    const first = await eventually('the Bash approval in Flotilla', () => sup.approvals.pending().find((p) => /echo hi > out\.txt/.test(p.summary)), 60_000);
    const row = sup.fleet.get(first.agentId)!;
    assert.equal(row.kind, 'remote');
    assert.equal(row.command, 'flotilla-agent://box/fixer');
    assert.equal(existsSync(join(worktree, 'out.txt')), false, 'nothing ran before the decision');

    // The connection dies while the approval waits: Flotilla's request goes stale, the runner's stays pending.
    connection.dropNow();
    await eventually('the stale request gone', () => (sup.approvals.get(first.id) ? undefined : true));
    const again = await eventually('the same request asked again after the reconnect', () =>
      sup.approvals.pending().find((p) => p.agentId === row.id && /echo hi > out\.txt/.test(p.summary)),
    );
    assert.notEqual(again.id, first.id);
    assert.equal(sup.approvals.decide(again.id, 'allow', 'user').ok, true);

    const ended = await eventually('the agent done', () => {
      const a = sup.fleet.get(row.id);
      return a?.status === 'done' ? a : undefined;
    }, 60_000);
    assert.equal(readFileSync(join(worktree, 'out.txt'), 'utf8'), 'hi\n');
    // Usage from Claude Code's transcript, read on the runner by the adapter's transcript watch: both turns, once each.
    const counted = await eventually('both turns counted', () => (sup.fleet.get(row.id)!.usage.output >= 97 ? sup.fleet.get(row.id)!.usage : undefined));
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(sup.fleet.get(row.id)!.usage, counted);
    assert.deepEqual(counted, { input: 1200 + 1350, output: 85 + 12, cacheRead: 300 + 1500, cacheWrite: 40 });
    assert.equal(ended.status, 'done');
    assert.ok(sup.spans.some((s) => s.agentId === row.id && s.span.kind === 'tool' && s.span.name === 'Bash'), 'the Bash tool span');
    assert.doesNotMatch(serve.output(), new RegExp(serve.token));
  });
});
