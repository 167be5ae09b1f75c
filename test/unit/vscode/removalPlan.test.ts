// The Remove dialog's choices come from what git says: a clean worktree may be deleted, a dirty one only by a button
// that names the files it discards, and the branch goes only when merged. Real repositories and worktrees.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { createAgentWorktree } from '../../../src/core/git/worktrees';
import { inspectWorktree, removalDialog } from '../../../src/vscode/removalPlan';
import { git, initRepo, removeDir, tempDir, writeFile } from '../git/gitTestRepo';

describe('removal plan', () => {
  let root: string;
  let repo: string;
  beforeEach(() => {
    root = tempDir('removal');
    repo = initRepo(root, 'repo', { 'a.txt': 'a\n' });
  });
  afterEach(() => removeDir(root));

  const worktree = async (name: string) => {
    const wt = await createAgentWorktree({ repoDir: repo, name, worktreesRoot: join(root, 'wts') });
    return { path: wt.path, branch: wt.branch, baseCommit: wt.baseCommit, repoRoot: wt.repoRoot };
  };

  it('offers to delete a clean worktree, and says its empty branch goes with it', async () => {
    const wt = await worktree('clean');
    const facts = await inspectWorktree(wt);
    assert.deepEqual(facts, { exists: true, uncommitted: [], unmergedCommits: 0 });
    const dialog = removalDialog('clean', true, wt, facts);
    assert.deepEqual(dialog.buttons.map((b) => b.choice), ['keep', 'delete']);
    assert.match(dialog.detail, /still running: it will be stopped/);
    assert.match(dialog.detail, /deleting the worktree deletes the branch too/);
  });

  it('names the uncommitted files and offers deletion only as discarding them', async () => {
    const wt = await worktree('dirty');
    writeFile(wt.path, 'new.txt', 'x\n');
    writeFile(wt.path, 'a.txt', 'changed\n');
    const facts = await inspectWorktree(wt);
    assert.deepEqual([...facts.uncommitted].sort(), ['a.txt', 'new.txt']);
    const dialog = removalDialog('dirty', false, wt, facts);
    assert.deepEqual(dialog.buttons.map((b) => [b.choice, b.label]), [
      ['keep', 'Remove, Keep Worktree'],
      ['discard', 'Delete Worktree and Discard 2 Uncommitted File(s)'],
    ]);
    assert.match(dialog.detail, /2 file\(s\) are not committed: .*new\.txt/);
  });

  it('keeps an unmerged branch, and knows a merged one may go', async () => {
    const wt = await worktree('ahead');
    writeFile(wt.path, 'b.txt', 'b\n');
    git(wt.path, 'add', 'b.txt');
    git(wt.path, 'commit', '--quiet', '-m', 'agent work');
    let facts = await inspectWorktree(wt);
    assert.equal(facts.unmergedCommits, 1);
    assert.match(removalDialog('ahead', false, wt, facts).detail, /1 commit\(s\) not merged into your HEAD: the branch is kept/);
    git(repo, 'merge', '--quiet', '--ff-only', wt.branch);
    facts = await inspectWorktree(wt);
    assert.equal(facts.unmergedCommits, 0);
  });

  it('handles a worktree folder deleted by hand', async () => {
    const wt = await worktree('gone');
    removeDir(wt.path);
    const facts = await inspectWorktree(wt);
    assert.equal(facts.exists, false);
    const dialog = removalDialog('gone', false, wt, facts);
    assert.deepEqual(dialog.buttons.map((b) => b.choice), ['delete']);
    assert.match(dialog.detail, /is gone already/);
  });
});
