// Agent worktrees on real git repositories: creation, the typed refusals, status and removal.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  BranchExistsError,
  BranchNotMergedError,
  ForeignBranchError,
  GitMissingError,
  InvalidWorktreeNameError,
  InvalidWorktreesRootError,
  NoCommitsError,
  NotAGitRepoError,
  PathNotFoundError,
  WorktreeDirtyError,
  WorktreePathExistsError,
} from '../../../src/core/git/gitErrors';
import { findRepoRoot, readRecordedBase } from '../../../src/core/git/repo';
import { createAgentWorktree, removeAgentWorktree } from '../../../src/core/git/worktrees';
import { worktreeStatus } from '../../../src/core/git/worktreeStatus';
import { git, initRepo, removeDir, tempDir, writeFile } from './gitTestRepo';

describe('git worktrees', () => {
  let tmp: string;
  let repo: string;
  let wtRoot: string;

  beforeEach(() => {
    tmp = tempDir('wt');
    repo = initRepo(tmp, 'My Repo', { 'README.md': 'hello\n', 'src/a.ts': 'export const a = 1;\n' });
    wtRoot = join(tmp, 'worktrees');
  });
  afterEach(() => removeDir(tmp));

  it('finds the repository root from a subfolder', async () => {
    assert.equal(await findRepoRoot(join(repo, 'src')), repo);
  });

  it('creates a worktree on flotilla/<name> at HEAD and records the base', async () => {
    const head = git(repo, 'rev-parse', 'HEAD');
    const wt = await createAgentWorktree({ repoDir: join(repo, 'src'), name: 'fix-login', worktreesRoot: wtRoot });
    assert.deepEqual(wt, {
      path: join(wtRoot, 'my-repo', 'fix-login'),
      branch: 'flotilla/fix-login',
      baseCommit: head,
      repoRoot: repo,
      baseBranch: 'main',
      warning: undefined,
    });
    assert.equal(git(wt.path, 'rev-parse', '--abbrev-ref', 'HEAD'), 'flotilla/fix-login');
    assert.ok(existsSync(join(wt.path, 'src', 'a.ts')));
    assert.equal(await readRecordedBase(repo, wt.branch), head);
    assert.deepEqual(await worktreeStatus(wt.path), {
      dirty: false,
      uncommittedFiles: [],
      untrackedFiles: [],
      aheadOfBase: 0,
      head,
      branch: 'flotilla/fix-login',
    });
  });

  it('warns that uncommitted workspace changes are not carried over', async () => {
    writeFile(repo, 'README.md', 'edited\n');
    writeFile(repo, 'notes.txt', 'new\n');
    const wt = await createAgentWorktree({ repoDir: repo, name: 'a1', worktreesRoot: wtRoot });
    assert.match(wt.warning ?? '', /2 uncommitted or untracked change\(s\).*not copied/);
    assert.ok(!existsSync(join(wt.path, 'notes.txt')));
  });

  it('refuses a branch that already exists', async () => {
    await createAgentWorktree({ repoDir: repo, name: 'a1', worktreesRoot: wtRoot });
    await assert.rejects(createAgentWorktree({ repoDir: repo, name: 'a1', worktreesRoot: join(tmp, 'elsewhere') }), (err) => {
      assert.ok(err instanceof BranchExistsError);
      assert.match(err.message, /flotilla\/a1 already exists: choose another agent name/);
      return true;
    });
  });

  it('refuses an existing folder, and a registered worktree whose folder is gone', async () => {
    mkdirSync(join(wtRoot, 'my-repo', 'taken'), { recursive: true });
    await assert.rejects(createAgentWorktree({ repoDir: repo, name: 'taken', worktreesRoot: wtRoot }), WorktreePathExistsError);

    const wt = await createAgentWorktree({ repoDir: repo, name: 'gone', worktreesRoot: wtRoot });
    removeDir(wt.path);
    git(repo, 'branch', '-m', 'flotilla/gone', 'flotilla/renamed');
    await assert.rejects(createAgentWorktree({ repoDir: repo, name: 'gone', worktreesRoot: wtRoot }), (err) => {
      assert.ok(err instanceof WorktreePathExistsError && err.registered);
      assert.match(err.message, /git worktree prune/);
      return true;
    });
  });

  it('refuses outside a repository, a missing folder, and an empty repository', async () => {
    const plain = join(tmp, 'plain');
    mkdirSync(plain);
    await assert.rejects(createAgentWorktree({ repoDir: plain, name: 'a1', worktreesRoot: wtRoot }), (err) => {
      assert.ok(err instanceof NotAGitRepoError);
      assert.match(err.message, /is not inside a git repository: run `git init` or choose 'run in workspace'/);
      return true;
    });
    await assert.rejects(findRepoRoot(join(tmp, 'nope')), PathNotFoundError);
    const empty = initRepo(tmp, 'empty');
    await assert.rejects(createAgentWorktree({ repoDir: empty, name: 'a1', worktreesRoot: wtRoot }), (err) => {
      assert.ok(err instanceof NoCommitsError);
      assert.match(err.message, /no commits yet.*make a first commit/);
      return true;
    });
  });

  it('rejects unsafe names with a suggestion, and a worktrees folder inside the repository', async () => {
    await assert.rejects(createAgentWorktree({ repoDir: repo, name: 'Fix Login!', worktreesRoot: wtRoot }), (err) => {
      assert.ok(err instanceof InvalidWorktreeNameError);
      assert.equal(err.suggestion, 'fix-login');
      return true;
    });
    await assert.rejects(createAgentWorktree({ repoDir: repo, name: '../escape', worktreesRoot: wtRoot }), InvalidWorktreeNameError);
    await assert.rejects(createAgentWorktree({ repoDir: repo, name: 'a1', worktreesRoot: join(repo, '.wt') }), InvalidWorktreesRootError);
  });

  it('reports GitMissingError when the git executable is not found', async () => {
    await assert.rejects(findRepoRoot(repo, { gitPath: join(tmp, 'no-such-git') }), GitMissingError);
  });

  it('status counts uncommitted, untracked and commits ahead of the base', async () => {
    const wt = await createAgentWorktree({ repoDir: repo, name: 'a1', worktreesRoot: wtRoot });
    writeFile(wt.path, 'src/b.ts', 'b\n');
    git(wt.path, 'add', 'src/b.ts');
    git(wt.path, 'commit', '--quiet', '-m', 'add b');
    writeFile(wt.path, 'README.md', 'changed\n');
    writeFile(wt.path, 'new dir/ünïcode file.txt', 'x\n');
    const status = await worktreeStatus(wt.path);
    assert.equal(status.dirty, true);
    assert.deepEqual(status.uncommittedFiles, ['README.md']);
    assert.deepEqual(status.untrackedFiles, ['new dir/ünïcode file.txt']);
    assert.equal(status.aheadOfBase, 1);
  });

  it('refuses to remove a dirty worktree, listing the files, and removes it with force', async () => {
    const wt = await createAgentWorktree({ repoDir: repo, name: 'a1', worktreesRoot: wtRoot });
    writeFile(wt.path, 'README.md', 'changed\n');
    writeFile(wt.path, 'scratch.txt', 'x\n');
    const req = { repoRoot: wt.repoRoot, path: wt.path, branch: wt.branch };
    await assert.rejects(removeAgentWorktree(req), (err) => {
      assert.ok(err instanceof WorktreeDirtyError);
      assert.deepEqual([err.uncommittedFiles, err.untrackedFiles], [['README.md'], ['scratch.txt']]);
      assert.match(err.message, /README\.md, scratch\.txt/);
      return true;
    });
    assert.ok(existsSync(join(wt.path, 'scratch.txt')), 'nothing was deleted by the refusal');

    assert.deepEqual(await removeAgentWorktree({ ...req, force: true }), { removedPath: wt.path, branchDeleted: false });
    assert.ok(!existsSync(wt.path));
    assert.equal(git(repo, 'branch', '--list', 'flotilla/a1'), 'flotilla/a1', 'the branch is kept unless asked');
  });

  it('deletes the branch only when merged, unless forced, and never a foreign branch', async () => {
    const wt = await createAgentWorktree({ repoDir: repo, name: 'a1', worktreesRoot: wtRoot });
    writeFile(wt.path, 'work.txt', 'done\n');
    git(wt.path, 'add', 'work.txt');
    git(wt.path, 'commit', '--quiet', '-m', 'work');
    const req = { repoRoot: wt.repoRoot, path: wt.path, branch: wt.branch, deleteBranch: true };

    await assert.rejects(removeAgentWorktree(req), (err) => {
      assert.ok(err instanceof BranchNotMergedError);
      assert.equal(err.unmergedCommits, 1);
      assert.equal(err.into, 'main');
      return true;
    });
    assert.ok(existsSync(wt.path), 'the refusal happens before the worktree is removed');
    await assert.rejects(removeAgentWorktree({ ...req, branch: 'main' }), ForeignBranchError);

    git(repo, 'merge', '--quiet', '--ff-only', 'flotilla/a1');
    assert.deepEqual(await removeAgentWorktree(req), { removedPath: wt.path, branchDeleted: true });
    assert.equal(git(repo, 'branch', '--list', 'flotilla/a1'), '');
    assert.equal(await readRecordedBase(repo, 'flotilla/a1'), undefined, 'the recorded base goes with the branch');
  });

  it('force-deletes an unmerged branch, and cleans up a worktree whose folder was deleted by hand', async () => {
    const wt = await createAgentWorktree({ repoDir: repo, name: 'a1', worktreesRoot: wtRoot });
    git(wt.path, 'commit', '--quiet', '--allow-empty', '-m', 'unmerged');
    removeDir(wt.path);
    const res = await removeAgentWorktree({ repoRoot: repo, path: wt.path, branch: wt.branch, deleteBranch: true, force: true });
    assert.equal(res.branchDeleted, true);
    assert.doesNotMatch(git(repo, 'worktree', 'list'), /a1/);
  });
});
