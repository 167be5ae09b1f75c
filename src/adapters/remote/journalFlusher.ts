// One journal write per tick for every remote connection: sessions with new frames register here, and once per event
// loop turn their frames go to the journal in a single transaction, after which each session reports its frames and
// acks them. With hundreds of agents each sending a frame now and then, this is one commit instead of hundreds.
import type { JournalCommit, RemoteJournal } from './remoteJournal';

export interface Flushable {
  /** Takes the tick's frames: what to store (undefined: nothing new to store), or 'skip' when the session is closing. */
  prepareFlush(): JournalCommit | undefined | 'skip';
  /** After the write (err: it failed, nothing was stored): report the frames and ack them, or end the connection. */
  finishFlush(err: unknown): void;
}

export class JournalFlusher {
  private readonly dirty = new Set<Flushable>();
  private scheduled = false;

  constructor(private readonly journal: RemoteJournal) {}

  schedule(session: Flushable): void {
    this.dirty.add(session);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.run());
  }

  private run(): void {
    this.scheduled = false;
    const sessions = [...this.dirty];
    this.dirty.clear();
    const ready: Flushable[] = [];
    const commits: JournalCommit[] = [];
    for (const session of sessions) {
      const prepared = session.prepareFlush();
      if (prepared === 'skip') continue;
      ready.push(session);
      if (prepared) commits.push(prepared);
    }
    let error: unknown;
    if (commits.length > 0) {
      try {
        this.journal.commitMany(commits);
      } catch (err) {
        error = err ?? new Error('the journal write failed');
      }
    }
    for (const session of ready) session.finishFlush(error);
  }
}
