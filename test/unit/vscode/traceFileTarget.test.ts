// What a Trace panel file link opens: the diff in the agent's worktree for a file inside it (absolute or relative),
// the file alone outside it or without a worktree, a reason when there is nothing to open.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AgentSnapshot } from '../../../src/shared/agent';
import { fileTarget } from '../../../src/vscode/traceFileTarget';

describe('trace file link target', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-trace-file-'));
  const worktree = path.join(dir, 'wt');
  const outside = path.join(dir, 'elsewhere.md');
  fs.mkdirSync(path.join(worktree, 'src'), { recursive: true });
  fs.writeFileSync(outside, 'x');
  const agent = { id: 'a1', name: 'alpha', worktree: { path: worktree, branch: 'flotilla/alpha', baseCommit: 'abc123def456' } } as unknown as AgentSnapshot;
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a file in the worktree, absolute or relative: its diff against the base commit', () => {
    const expected = { kind: 'diff', worktree, baseCommit: 'abc123def456', relPath: 'src/a.ts', file: path.join(worktree, 'src/a.ts') };
    assert.deepEqual(fileTarget(agent, 'alpha', path.join(worktree, 'src/a.ts')), expected);
    assert.deepEqual(fileTarget(agent, 'alpha', 'src/a.ts'), expected);
    assert.equal(fileTarget(agent, 'alpha', path.join(worktree, '..wt-notes.md')).kind, 'diff');
  });

  it('outside the worktree or without one: the file itself if it exists, else why not', () => {
    assert.deepEqual(fileTarget(agent, 'alpha', outside), { kind: 'file', file: outside });
    assert.deepEqual(fileTarget({ ...agent, worktree: undefined } as AgentSnapshot, 'alpha', outside), { kind: 'file', file: outside });
    assert.match((fileTarget(agent, 'alpha', path.join(dir, 'gone.md')) as { why: string }).why, /no longer exists/);
    assert.match((fileTarget(undefined, 'alpha', 'src/a.ts') as { why: string }).why, /alpha was removed/);
  });
});
