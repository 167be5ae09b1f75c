// changedFiles and readFileAtCommit on a real agent worktree with every kind of change at once.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { changedFiles, parseNameStatus, readFileAtCommit } from '../../../src/core/git/changedFiles';
import { UnknownCommitError } from '../../../src/core/git/gitErrors';
import { createAgentWorktree } from '../../../src/core/git/worktrees';
import { git, initRepo, removeDir, tempDir, writeFile } from './gitTestRepo';

describe('changedFiles', () => {
  let tmp: string;
  let repo: string;

  beforeEach(() => {
    tmp = tempDir('changes');
    repo = initRepo(tmp, 'repo', {
      'keep.txt': 'unchanged\n',
      'edit committed.txt': 'v1\n',
      'edit staged.txt': 'v1\n',
      'edit unstaged.txt': 'v1\n',
      'delete me.txt': 'bye\n',
      'old name.txt': 'a file long enough that rename detection recognises it after the move\n',
      'rm-cached.txt': 'still on disk\n',
      '.gitignore': 'build/\n',
    });
  });
  afterEach(() => removeDir(tmp));

  it('lists committed, staged, unstaged, untracked, deleted and renamed files vs the base', async () => {
    const wt = await createAgentWorktree({ repoDir: repo, name: 'agent', worktreesRoot: join(tmp, 'wts') });
    const p = wt.path;
    writeFile(p, 'edit committed.txt', 'v2\n');
    writeFile(p, 'added committed.txt', 'new\n');
    git(p, 'add', '--all');
    git(p, 'commit', '--quiet', '-m', 'agent work');
    writeFile(p, 'edit staged.txt', 'v2\n');
    git(p, 'add', 'edit staged.txt');
    mkdirSync(join(p, 'dir with space'));
    git(p, 'mv', 'old name.txt', 'dir with space/new name ü.txt');
    writeFile(p, 'edit unstaged.txt', 'v2\n');
    rmSync(join(p, 'delete me.txt'));
    git(p, 'rm', '--quiet', '--cached', 'rm-cached.txt');
    writeFile(p, 'untracked/naïve file.md', 'hi\n');
    writeFile(p, 'build/out.js', 'ignored\n');

    assert.deepEqual(await changedFiles(p, wt.baseCommit), [
      { path: 'added committed.txt', status: 'added' },
      { path: 'delete me.txt', status: 'deleted' },
      { path: 'dir with space/new name ü.txt', status: 'renamed', oldPath: 'old name.txt' },
      { path: 'edit committed.txt', status: 'modified' },
      { path: 'edit staged.txt', status: 'modified' },
      { path: 'edit unstaged.txt', status: 'modified' },
      { path: 'rm-cached.txt', status: 'modified' },
      { path: 'untracked/naïve file.md', status: 'added' },
    ]);
  });

  it('is empty for an untouched worktree and throws for an unknown base', async () => {
    const wt = await createAgentWorktree({ repoDir: repo, name: 'agent', worktreesRoot: join(tmp, 'wts') });
    assert.deepEqual(await changedFiles(wt.path, wt.baseCommit), []);
    await assert.rejects(changedFiles(wt.path, '0123456789012345678901234567890123456789'), UnknownCommitError);
  });

  it('parses rename and copy records with their two paths', () => {
    assert.deepEqual(parseNameStatus(['R087', 'a b', 'c d', 'C100', 'x', 'y', 'T', 'link', 'M', 'm']), [
      { path: 'c d', status: 'renamed', oldPath: 'a b' },
      { path: 'y', status: 'added' },
      { path: 'link', status: 'modified' },
      { path: 'm', status: 'modified' },
    ]);
  });
});

describe('readFileAtCommit', () => {
  let tmp: string;
  let repo: string;

  before(() => {
    tmp = tempDir('read');
    repo = initRepo(tmp, 'repo', { 'dir/with space ü.txt': 'first\n', 'gone.txt': 'x\n' });
    writeFile(repo, 'dir/with space ü.txt', 'second\n');
    git(repo, 'rm', '--quiet', 'gone.txt');
    git(repo, 'commit', '--quiet', '-am', 'second');
  });
  after(() => removeDir(tmp));

  it('reads a file as it was at a commit', async () => {
    assert.equal(await readFileAtCommit(repo, 'HEAD~1', 'dir/with space ü.txt'), 'first\n');
    assert.equal(await readFileAtCommit(repo, git(repo, 'rev-parse', 'HEAD'), 'dir\\with space ü.txt'), 'second\n');
  });

  it('returns undefined for a file (or folder) that did not exist at the commit', async () => {
    assert.equal(await readFileAtCommit(repo, 'HEAD', 'gone.txt'), undefined);
    assert.equal(await readFileAtCommit(repo, 'HEAD~1', 'gone.txt'), 'x\n');
    assert.equal(await readFileAtCommit(repo, 'HEAD', 'dir'), undefined);
  });

  it('throws UnknownCommitError for a commit that is not there', async () => {
    await assert.rejects(readFileAtCommit(repo, 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef', 'gone.txt'), UnknownCommitError);
    await assert.rejects(readFileAtCommit(repo, '--output=/tmp/x', 'gone.txt'), UnknownCommitError);
  });
});
