// The audit's input digest and recorder against hostile inputs: the digest equals the SHA-256 of JSON.stringify's text
// for ordinary inputs, is still produced for an input nested 20,000 levels deep or 5 MB large, and the allowed request
// of such an input gets its audit record in a real store.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import { inputDigest, recordApprovalsInAudit } from '../../../src/core/approvals/auditRecorder';
import type { Logger } from '../../../src/core/log';
import { openStore } from '../../../src/core/store/openDatabase';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function nested(depth: number, leaf: unknown = 'x'): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

describe('audit input digest', () => {
  it('is the SHA-256 of the JSON text, as before, for ordinary inputs', () => {
    for (const input of [{ command: 'git push origin feature', description: 'Push' }, { file_path: '/w/a.ts', edits: [{ old_string: 'a', new_string: 'b\u2028' }] }, [], 'text', 42, null]) {
      assert.equal(inputDigest(input), sha(JSON.stringify(input)));
    }
    assert.equal(inputDigest(undefined), sha('null'));
  });

  it('digests an input nested 20,000 levels deep (JSON.stringify overflows the stack on it)', () => {
    const deep = nested(20_000);
    assert.throws(() => JSON.stringify(deep), RangeError, 'the hostile input this guards against');
    const digest = inputDigest(deep);
    assert.match(digest, /^[0-9a-f]{64}$/);
    assert.equal(inputDigest(nested(20_000)), digest, 'reproducible');
    assert.notEqual(inputDigest(nested(20_000, 'y')), digest, 'the leaf counts');
    assert.notEqual(inputDigest(nested(20_001)), digest, 'the depth counts');
  });

  it('digests a 5 MB input the same way JSON.stringify would', () => {
    const big = { command: 'echo', content: 'z'.repeat(5 * 1024 * 1024), parts: Array.from({ length: 10_000 }, (_, i) => ({ i })) };
    assert.equal(inputDigest(big), sha(JSON.stringify(big)));
  });

  it('never throws, even on a throwing getter', () => {
    const hostile = { get boom(): string { throw new Error('no'); } };
    assert.match(inputDigest(hostile), /^[0-9a-f]{64}$/);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    assert.match(inputDigest(cyclic), /^[0-9a-f]{64}$/);
  });
});

describe('audit recorder with a hostile input', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-audit-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('records the allowed request of an input nested 20,000 levels deep', async () => {
    const { store } = openStore(path.join(dir, 'fleet.db'));
    const errors: string[] = [];
    const log: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: (m) => errors.push(m), error: (m) => errors.push(String(m)) };
    const queue = new ApprovalQueue(() => ({ escalateAfterMs: 600_000, timeoutMs: 900_000 }));
    const recorder = recordApprovalsInAudit(queue, store, log);
    try {
      const deep = nested(20_000);
      const waiting = queue.request({ agentId: 'a1', agentName: 'a1', tool: 'mcp__x__y', summary: 'mcp__x__y', input: deep });
      const [pending] = queue.pending();
      assert.equal(queue.decide(pending!.id, 'allow', 'user').ok, true);
      assert.equal((await waiting).kind, 'decided');
      assert.deepEqual(errors, []);
      const rows = store.listAudit({ agentId: 'a1' });
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.action, 'approval.allow');
      assert.equal((rows[0]!.data as { inputSha256?: string }).inputSha256, inputDigest(deep));
      assert.equal(store.verifyAudit().ok, true);
    } finally {
      recorder.dispose();
      queue.dispose();
      store.close();
    }
  });
});
