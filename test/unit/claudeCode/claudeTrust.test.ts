// Trusting a worktree in Claude Code's global config the way Claude Code itself writes it: under its lock directory
// (`<file>.lock`, stale after 10 s), re-read then modified, written to a temp file and renamed over, mode kept.
// (Checked against the real CLI 2.1.197 by hand: a running session's own writes keep the entries, and a trusted
// folder starts without the dialog; see the issue 10 report.)
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { claudeConfigFile, isTrusted, LOCK_STALE_MS, trustFolders } from '../../../src/adapters/claudeCode/claudeTrust';

describe('claudeTrust', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-trust-'));
    file = path.join(dir, '.claude.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('adds hasTrustDialogAccepted for the folder, keeps everything else, keeps the mode, leaves no temp file or lock', async () => {
    fs.writeFileSync(file, JSON.stringify({ numStartups: 3, oauthAccount: { x: 1 }, projects: { '/other': { allowedTools: ['Bash'] }, '/wt/a': { lastCost: 1 } } }), { mode: 0o600 });
    await trustFolders(file, ['/wt/a/', '/wt/b']);
    const c = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(c, {
      numStartups: 3,
      oauthAccount: { x: 1 },
      projects: { '/other': { allowedTools: ['Bash'] }, '/wt/a': { lastCost: 1, hasTrustDialogAccepted: true }, '/wt/b': { hasTrustDialogAccepted: true } },
    });
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(fs.readdirSync(dir), ['.claude.json']);
    assert.ok(isTrusted(file, '/wt/b') && isTrusted(file, '/wt/b/sub/dir') && !isTrusted(file, '/wt/c'));
  });

  it('creates the file (0600) when Claude Code never ran, and trusts the real path of a symlinked folder too', async () => {
    const real = path.join(dir, 'real');
    fs.mkdirSync(real);
    fs.symlinkSync(real, path.join(dir, 'link'));
    await trustFolders(file, [path.join(dir, 'link')]);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.ok(isTrusted(file, path.join(dir, 'link')) && isTrusted(file, fs.realpathSync(real)));
  });

  it('waits for the lock a Claude Code holds, then re-reads what it wrote meanwhile', async () => {
    fs.writeFileSync(file, JSON.stringify({ projects: {} }));
    fs.mkdirSync(`${file}.lock`);
    const writing = trustFolders(file, ['/wt/a']);
    await new Promise((r) => setTimeout(r, 150));
    // Claude Code writes under its lock, then releases it.
    fs.writeFileSync(file, JSON.stringify({ numStartups: 9, projects: { '/wt/z': { hasTrustDialogAccepted: true } } }));
    fs.rmdirSync(`${file}.lock`);
    await writing;
    const c = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(c.numStartups, 9);
    assert.ok(c.projects['/wt/z'].hasTrustDialogAccepted && c.projects['/wt/a'].hasTrustDialogAccepted);
  });

  it('takes over a stale lock (older than 10 s), gives up on a live one after the wait, never touches a file it cannot parse', async () => {
    fs.writeFileSync(file, '{}');
    fs.mkdirSync(`${file}.lock`);
    const old = new Date(Date.now() - LOCK_STALE_MS - 1_000);
    fs.utimesSync(`${file}.lock`, old, old);
    await trustFolders(file, ['/wt/a']);
    assert.ok(isTrusted(file, '/wt/a'));
    fs.mkdirSync(`${file}.lock`);
    await assert.rejects(trustFolders(file, ['/wt/b'], { waitMs: 100 }), /held by another process/);
    fs.rmdirSync(`${file}.lock`);
    fs.writeFileSync(file, '{"projects": ');
    await assert.rejects(trustFolders(file, ['/wt/b']), /not JSON/);
    assert.equal(fs.readFileSync(file, 'utf8'), '{"projects": ');
    assert.equal(fs.existsSync(`${file}.lock`), false, 'the lock is released after a failure');
  });

  it('finds the config file as Claude Code does: CLAUDE_CONFIG_DIR, else HOME; a legacy .config.json wins', () => {
    assert.equal(claudeConfigFile({}, '/home/u'), '/home/u/.claude.json');
    assert.equal(claudeConfigFile({ CLAUDE_CONFIG_DIR: dir }, '/home/u'), path.join(dir, '.claude.json'));
    fs.writeFileSync(path.join(dir, '.config.json'), '{}');
    assert.equal(claudeConfigFile({ CLAUDE_CONFIG_DIR: dir }, '/home/u'), path.join(dir, '.config.json'));
  });
});
