// The audit log: the chain verifies, any edit inside it is found (even with the triggers dropped),
// UPDATE and DELETE are refused, and exports stream every row in order.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { auditHash, GENESIS_HASH } from '../../../src/core/store/auditHash';
import type { FleetStore } from '../../../src/core/store/store';
import { describeEachDriver, warnings } from './storeTestKit';

function appendMany(store: FleetStore, n: number): void {
  store.transaction(() => {
    for (let i = 1; i <= n; i++) {
      store.appendAudit({ actor: i % 2 ? 'user' : 'policy', action: 'approval.decided', agentId: 'a1', subject: `p${i}`, data: { i, z: 'last', a: 'first' } });
    }
  });
}

describeEachDriver('store audit log', (t) => {
  it('chains rows from the genesis hash and verifies them', () => {
    const store = t.open({ now: () => 42 });
    assert.deepEqual(store.verifyAudit(), { ok: true, count: 0, head: undefined });
    const first = store.appendAudit({ actor: 'user', action: 'agent.launched', agentId: 'a1', subject: 'claude', data: { b: 1, a: [1, { d: 2, c: 3 }] } });
    const second = store.appendAudit({ actor: 'policy', action: 'approval.denied' });
    assert.equal(first.seq, 1);
    assert.equal(first.prevHash, GENESIS_HASH);
    assert.equal(second.seq, 2);
    assert.equal(second.prevHash, first.hash);
    assert.deepEqual(second.data, null);
    // The documented canonical form, recomputed here by hand, so an external verifier can rely on it.
    const text = JSON.stringify([1, 42, 'user', 'agent.launched', 'a1', 'claude', '{"a":[1,{"c":3,"d":2}],"b":1}', GENESIS_HASH]);
    assert.equal(first.hash, createHash('sha256').update(text).digest('hex'));
    assert.deepEqual(store.verifyAudit(), { ok: true, count: 2, head: { seq: 2, hash: second.hash } });
    assert.deepEqual(store.auditHead(), { seq: 2, hash: second.hash });
    assert.throws(() => store.appendAudit({ actor: '', action: 'x' }), /actor/);
  });

  it('exports every row in seq order across pages, and lists newest first', () => {
    const store = t.open();
    appendMany(store, 1203);
    const exported = [...store.exportAudit()];
    assert.equal(exported.length, 1203);
    assert.ok(exported.every((row, i) => row.seq === i + 1));
    assert.deepEqual(exported[9]!.data, { a: 'first', i: 10, z: 'last' });
    assert.deepEqual([...store.exportAudit(1200)].map((r) => r.seq), [1201, 1202, 1203]);
    assert.deepEqual(store.listAudit({ limit: 2 }).map((r) => r.seq), [1203, 1202]);
    assert.deepEqual(store.listAudit({ limit: 2, beforeSeq: 3 }).map((r) => r.seq), [2, 1]);
    assert.deepEqual(store.verifyAudit(), { ok: true, count: 1203, head: store.auditHead() });
  });

  it('refuses UPDATE and DELETE of audit rows through the triggers', () => {
    const store = t.open();
    appendMany(store, 3);
    const raw = t.raw();
    assert.throws(() => raw.exec(`UPDATE audit SET actor = 'mallory' WHERE seq = 2`), /append-only: UPDATE refused/);
    assert.throws(() => raw.exec('DELETE FROM audit WHERE seq = 3'), /append-only: DELETE refused/);
    assert.throws(() => raw.exec('DELETE FROM audit'), /append-only/);
    assert.equal(store.verifyAudit().ok, true);
    assert.equal(store.listAudit({ limit: 1 })[0]?.actor, 'user');
  });

  it('finds an edited row when the triggers are bypassed', () => {
    const store = t.open();
    appendMany(store, 10);
    const raw = t.raw();
    raw.exec('DROP TRIGGER audit_no_update');
    raw.exec(`UPDATE audit SET data = '{"i":4,"z":"forged"}' WHERE seq = 4`);
    assert.deepEqual(store.verifyAudit(), {
      ok: false, count: 3, firstBrokenSeq: 4, reason: 'hash of seq 4 does not match its contents: the row was altered',
    });
  });

  it('finds an edit whose hash was recomputed, at the next link', () => {
    const store = t.open();
    appendMany(store, 5);
    const raw = t.raw();
    raw.exec('DROP TRIGGER audit_no_update');
    const row = raw.prepare('SELECT * FROM audit WHERE seq = 2').get<Record<string, unknown>>()!;
    const forged = auditHash({
      seq: row.seq, ts: row.ts, actor: 'mallory', action: row.action, agentId: row.agent_id, subject: row.subject,
      data: row.data, prevHash: row.prev_hash,
    });
    raw.prepare(`UPDATE audit SET actor = 'mallory', hash = ? WHERE seq = 2`).run(forged);
    assert.deepEqual(store.verifyAudit(), {
      ok: false, count: 2, firstBrokenSeq: 3, reason: 'prev_hash of seq 3 does not match the hash of the row before it',
    });
  });

  it('finds a removed row when the triggers are bypassed, and survives bad JSON in an export', () => {
    const store = t.open();
    appendMany(store, 6);
    const raw = t.raw();
    raw.exec('DROP TRIGGER audit_no_delete');
    raw.exec('DROP TRIGGER audit_no_update');
    raw.exec('DELETE FROM audit WHERE seq = 3');
    assert.deepEqual(store.verifyAudit(), {
      ok: false, count: 2, firstBrokenSeq: 3, reason: 'seq 3 is missing: the row after seq 2 is seq 4',
    });
    raw.exec(`UPDATE audit SET data = '{broken' WHERE seq = 5`);
    const rows = [...store.exportAudit()];
    assert.deepEqual(rows.map((r) => r.seq), [1, 2, 4, 5, 6]);
    assert.equal(rows[3]!.data, null);
    assert.ok(warnings(t).some((w) => w.includes('audit.data of seq 5')));
  });

  it('appends inside a caller transaction, and a rolled-back append leaves the chain intact', () => {
    const store = t.open();
    store.appendAudit({ actor: 'user', action: 'one' });
    assert.throws(() =>
      store.transaction(() => {
        store.appendAudit({ actor: 'user', action: 'lost' });
        throw new Error('rollback');
      }),
    );
    const next = store.transaction(() => store.appendAudit({ actor: 'user', action: 'two' }));
    assert.equal(next.seq, 2);
    assert.equal(store.verifyAudit().ok, true);
  });
});
