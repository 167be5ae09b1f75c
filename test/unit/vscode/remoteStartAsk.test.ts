// New Agent's answers as the runner `start` they become: Claude Code with its prompt, a custom command line as argv
// (plain words run directly, shell syntax through `sh -c`), worktree or the runner's folder, group and budget; each
// checked against the protocol's schema, so what the flow makes is what a runner accepts.
import assert from 'node:assert/strict';
import { RunnerStartRequestSchema } from '../../../src/shared/protocol/runner';
import { commandArgv, startAskOf } from '../../../src/vscode/remoteStartAsk';

const valid = (ask: ReturnType<typeof startAskOf>): void => {
  const parsed = RunnerStartRequestSchema.safeParse({ type: 'start', request_id: 'r1', ...ask });
  assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
};

describe('New Agent on a remote host: the start request', () => {
  it('Claude Code in a worktree with its first prompt, budget and group', () => {
    const ask = startAskOf({ kind: 'claude-code', name: 'fixer', prompt: 'fix the tests', where: 'worktree', budget: { usd: 5 }, group: 'night', host: 'box' });
    assert.deepEqual(ask, { name: 'fixer', worktree: true, group: 'night', budget: { usd: 5 }, kind: 'claude-code', prompt: 'fix the tests' });
    valid(ask);
    const bare = startAskOf({ kind: 'claude-code', name: 'idle', where: 'workspace', host: 'box' });
    assert.deepEqual(bare, { name: 'idle', worktree: false, kind: 'claude-code' });
    valid(bare);
  });

  it('a custom command line: plain words as argv, shell syntax through sh -c', () => {
    assert.deepEqual(commandArgv(`  aider --model "gpt 5" --yes `), ['aider', '--model', 'gpt 5', '--yes']);
    assert.deepEqual(commandArgv('npm test && echo $HOME > out.txt'), ['/bin/sh', '-c', 'npm test && echo $HOME > out.txt']);
    assert.deepEqual(commandArgv('ls *.ts'), ['/bin/sh', '-c', 'ls *.ts']);
    const ask = startAskOf({ kind: 'custom', name: 'worker', where: 'workspace', command: 'sleep 600', host: 'box' });
    assert.deepEqual(ask, { name: 'worker', worktree: false, kind: 'custom', command: ['sleep', '600'] });
    valid(ask);
  });
});
