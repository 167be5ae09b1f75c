// Open Diff's runner side over real sockets: a real `serve` process starts an agent with --worktree in a real git
// repository; the agent modifies, adds and deletes files (one binary, one too large); the extension's client code
// (runnerAttachClient) lists the changes against the worktree's base and reads each side. Paths the list does not
// name are refused, as are a wrong token and a browser Origin.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchChanges, fetchFile, RunnerRequestError } from '../../../src/adapters/remote/runnerAttachClient';
import { MAX_DIFF_FILE_BYTES } from '../../../src/shared/protocol/runnerAttach';
import type { ServeProcess } from './runnerKit';
import { bundleRunner, eventually, startServe } from './runnerKit';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd, encoding: 'utf8' });
}

/** A plain HTTP GET (for the refusals: the client code always sends the token). */
function rawGet(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url.replace(/^ws/, 'http'), { headers }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject);
  });
}

describe('runner Open Diff (real serve process, real git worktree)', function () {
  this.timeout(60_000);
  let bundle: Awaited<ReturnType<typeof bundleRunner>>;
  let serve: ServeProcess;
  let repo: string;
  let base: string;

  before(async () => {
    bundle = await bundleRunner();
    repo = mkdtempSync(join(tmpdir(), 'flotilla-diff-repo-'));
    git(repo, 'init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'keep.txt'), 'unchanged\n');
    writeFileSync(join(repo, 'edit.txt'), 'before\n');
    writeFileSync(join(repo, 'gone.txt'), 'to be deleted\n');
    writeFileSync(join(repo, 'image.bin'), Buffer.from([0, 1, 2, 3]));
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'base');
    base = git(repo, 'rev-parse', 'HEAD').trim();
    serve = await startServe({ script: bundle.script });
    const big = MAX_DIFF_FILE_BYTES + 10;
    const script = [
      'echo after > edit.txt',
      'rm gone.txt',
      'echo brand new > added.txt',
      "printf '\\000\\377\\000' > image.bin",
      `head -c ${big} /dev/zero | tr '\\0' y > big.txt`,
      'echo changes-made',
      'sleep 600',
    ].join('; ');
    const run = await serve.cli(['run', '--name', 'differ', '--worktree', '--cwd', repo, '--', 'sh', '-c', script]);
    assert.equal(run.code, 0, run.stderr);
  });
  after(async () => {
    await serve?.stop();
    if (repo) rmSync(repo, { recursive: true, force: true });
    bundle?.dispose();
  });

  const endpoint = () => ({ url: serve.url, token: serve.token });

  it('lists the modified, added and deleted files against the base commit, untracked ones included', async () => {
    const changes = await eventually('five changes', async () => {
      const c = await fetchChanges(endpoint(), 'differ');
      return c.files.length === 5 ? c : undefined;
    });
    assert.equal(changes.base, base);
    assert.equal(changes.truncated, false);
    assert.match(changes.branch ?? '', /differ/);
    assert.deepEqual(changes.files, [
      { path: 'added.txt', status: 'added' },
      { path: 'big.txt', status: 'added' },
      { path: 'edit.txt', status: 'modified' },
      { path: 'gone.txt', status: 'deleted' },
      { path: 'image.bin', status: 'modified' },
    ]);
  });

  it('serves each side: base and now, absent sides, the binary mark, a size limit', async () => {
    const text = async (side: 'base' | 'work', p: string) => {
      const f = await fetchFile(endpoint(), 'differ', side, p);
      assert.equal(f.kind, 'ok', `${side} ${p}: ${f.kind}`);
      return f.kind === 'ok' ? { text: f.bytes.toString('utf8'), binary: f.binary, bytes: f.bytes } : undefined;
    };
    assert.deepEqual(await text('base', 'edit.txt').then((f) => [f?.text, f?.binary]), ['before\n', false]);
    assert.deepEqual(await text('work', 'edit.txt').then((f) => [f?.text, f?.binary]), ['after\n', false]);
    assert.equal((await text('work', 'added.txt'))?.text, 'brand new\n');
    assert.equal((await text('base', 'gone.txt'))?.text, 'to be deleted\n');
    assert.deepEqual(await fetchFile(endpoint(), 'differ', 'base', 'added.txt'), { kind: 'absent' });
    assert.deepEqual(await fetchFile(endpoint(), 'differ', 'work', 'gone.txt'), { kind: 'absent' });
    const image = await text('work', 'image.bin');
    assert.equal(image?.binary, true);
    assert.deepEqual([...image!.bytes], [0, 255, 0]);
    assert.equal((await text('base', 'image.bin'))?.binary, true);
    assert.deepEqual(await fetchFile(endpoint(), 'differ', 'work', 'big.txt'), { kind: 'too_large', size: MAX_DIFF_FILE_BYTES + 10 });
  });

  it('refuses paths the change list does not name, a wrong token, a browser Origin, an unknown agent, an agent without a worktree', async () => {
    for (const p of ['keep.txt', '../token', '/etc/passwd', '.git/config', 'edit.txt/../keep.txt']) {
      await assert.rejects(fetchFile(endpoint(), 'differ', 'work', p), (err: unknown) => err instanceof RunnerRequestError && err.status === 404 && /not a changed file/.test(err.message), p);
    }
    await assert.rejects(fetchChanges({ url: serve.url, token: 'y'.repeat(43) }, 'differ'), (err: unknown) => err instanceof RunnerRequestError && err.status === 401);
    assert.equal(await rawGet(`${serve.url}/v1/agents/differ/changes`, { authorization: `Bearer ${serve.token}`, origin: 'https://evil.example' }), 403);
    await assert.rejects(fetchChanges(endpoint(), 'nobody'), (err: unknown) => err instanceof RunnerRequestError && err.status === 404);
    const plain = await serve.cli(['run', '--name', 'inplace', '--cwd', repo, '--', 'sleep', '600']);
    assert.equal(plain.code, 0, plain.stderr);
    await assert.rejects(fetchChanges(endpoint(), 'inplace'), (err: unknown) => err instanceof RunnerRequestError && err.status === 409 && /--worktree/.test(err.message));
  });
});
