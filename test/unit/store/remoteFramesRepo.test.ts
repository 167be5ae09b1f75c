// The remote frame journal (store v3): frames and the session mark move together, all or none; a seq that does not
// grow is refused and nothing of its batch is written; a new session replaces the agent's mark; retention prunes.
import assert from 'node:assert/strict';
import { startJournalRetention } from '../../../src/adapters/remote/journalRetention';
import { systemClock } from '../../../src/core/clock';
import { memoryLogger } from '../core/fleetKit';
import { describeEachDriver } from './storeTestKit';

const frame = (seq: number, name = `e${seq}`) => ({ seq, type: 'event', body: JSON.stringify({ type: 'event', seq, name }) });

describeEachDriver('remote frame journal', (t) => {
  it('stores frames with the session mark, resumes from it, and refuses a seq that does not grow (nothing of that batch is written)', () => {
    let now = 1000;
    const store = t.open({ now: () => now });
    const journal = store.remoteFrames;
    assert.equal(journal.session('a1'), undefined);
    journal.commit('a1', 's1', 0, []);
    journal.commit('a1', 's1', 3, [frame(1), frame(2), frame(3)]);
    assert.deepEqual(journal.session('a1'), { agentId: 'a1', sessionId: 's1', lastSeq: 3, updatedAt: 1000 });
    assert.throws(() => journal.commit('a1', 's1', 5, [frame(4), frame(3)]), /seq does not grow/);
    assert.equal(journal.count('a1'), 3, 'the refused batch left nothing behind');
    assert.equal(journal.session('a1')!.lastSeq, 3);
    // A refused frame moves the mark without a row.
    journal.commit('a1', 's1', 6, [frame(5)]);
    assert.equal(journal.session('a1')!.lastSeq, 6);
    assert.deepEqual(
      journal.list('a1').map((r) => r.seq),
      [1, 2, 3, 5],
    );
    // A new session of the agent replaces the mark; its numbering is its own.
    now = 2000;
    journal.commit('a1', 's2', 0, [frame(0)]);
    assert.deepEqual(journal.session('a1'), { agentId: 'a1', sessionId: 's2', lastSeq: 0, updatedAt: 2000 });
    assert.equal(journal.count(), 5);
  });

  it('commits several agents at once, all or none', () => {
    const journal = t.open().remoteFrames;
    journal.commit('b', 'sb', 2, [frame(2)]);
    assert.throws(() =>
      journal.commitMany([
        { agentId: 'a', sessionId: 'sa', lastSeq: 1, frames: [frame(1)] },
        { agentId: 'b', sessionId: 'sb', lastSeq: 2, frames: [frame(2)] },
      ]),
    );
    assert.equal(journal.session('a'), undefined, "a's commit rolled back with b's");
    journal.commitMany([
      { agentId: 'a', sessionId: 'sa', lastSeq: 1, frames: [frame(1)] },
      { agentId: 'b', sessionId: 'sb', lastSeq: 4, frames: [frame(3), frame(4)] },
    ]);
    assert.deepEqual([...journal.listAll(1)].map((r) => `${r.agentId}#${r.seq}`), ['b#2', 'a#1', 'b#3', 'b#4']);
  });

  it('retention prunes frames older than a week at start, keeps the marks', () => {
    let now = 0;
    const store = t.open({ now: () => now });
    store.remoteFrames.commit('a', 's', 1, [frame(1)]);
    now = 8 * 24 * 3600_000;
    store.remoteFrames.commit('a', 's', 2, [frame(2)]);
    const retention = startJournalRetention({ prune: (before) => store.remoteFrames.prune(before), clock: { ...systemClock, now: () => now }, log: memoryLogger() });
    retention.dispose();
    assert.deepEqual(
      store.remoteFrames.list('a').map((r) => r.seq),
      [2],
    );
    assert.equal(store.remoteFrames.session('a')!.lastSeq, 2);
  });
});
