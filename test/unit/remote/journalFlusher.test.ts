// The per-turn journal write (journalFlusher.ts): every session's frames are written once and then reported, at most
// MAX_SESSIONS_PER_WRITE sessions per transaction, the rest in the following turns, none left behind or written twice.
import assert from 'node:assert/strict';
import { JournalFlusher, MAX_SESSIONS_PER_WRITE } from '../../../src/adapters/remote/journalFlusher';
import type { Flushable } from '../../../src/adapters/remote/journalFlusher';
import { MemoryJournal } from '../../../src/adapters/remote/remoteJournal';
import type { JournalCommit } from '../../../src/adapters/remote/remoteJournal';

class CountingJournal extends MemoryJournal {
  readonly writes: number[] = [];
  override commitMany(commits: readonly JournalCommit[]): void {
    this.writes.push(commits.length);
    super.commitMany(commits);
  }
}

class FakeSession implements Flushable {
  finished = 0;
  constructor(private readonly id: string) {}
  prepareFlush(): JournalCommit {
    return { agentId: this.id, sessionId: `s-${this.id}`, lastSeq: 1, frames: [{ seq: 1, type: 'event', body: '{}' }] };
  }
  finishFlush(err: unknown): void {
    assert.equal(err, undefined);
    this.finished++;
  }
}

describe('remote: the journal flusher', () => {
  it(`writes ${MAX_SESSIONS_PER_WRITE} sessions per turn at most, and every session once`, async () => {
    const journal = new CountingJournal();
    const flusher = new JournalFlusher(journal);
    const sessions = Array.from({ length: 2 * MAX_SESSIONS_PER_WRITE + 5 }, (_, i) => new FakeSession(`a${i}`));
    for (const s of sessions) flusher.schedule(s);
    while (sessions.some((s) => s.finished === 0)) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(journal.writes, [MAX_SESSIONS_PER_WRITE, MAX_SESSIONS_PER_WRITE, 5]);
    assert.ok(sessions.every((s) => s.finished === 1));
    assert.equal(journal.session('a0')?.lastSeq, 1);
  });
});
