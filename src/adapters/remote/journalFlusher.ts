// One journal write per tick for every remote connection: sessions with new frames register here, and once per event
// loop turn their frames go to the journal in a single transaction, after which each session reports its frames and
// acks them. With hundreds of agents each sending a frame now and then, this is one commit instead of hundreds. A
// write takes at most MAX_SESSIONS_PER_WRITE sessions, the rest go in the next turn: a turn that fell behind (the host
// was busy, frames piled up) does not block the event loop for one huge transaction, which would only pile up more.
import type { JournalCommit, RemoteJournal } from './remoteJournal';

export interface Flushable {
  /** Takes the tick's frames: what to store (undefined: nothing new to store), or 'skip' when the session is closing. */
  prepareFlush(): JournalCommit | undefined | 'skip';
  /** After the write (err: it failed, nothing was stored): report the frames and ack them, or end the connection. */
  finishFlush(err: unknown): void;
}

/** Sessions written per event loop turn at most. */
export const MAX_SESSIONS_PER_WRITE = 64;

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
    const sessions: Flushable[] = [];
    for (const session of this.dirty) {
      this.dirty.delete(session);
      sessions.push(session);
      if (sessions.length >= MAX_SESSIONS_PER_WRITE) break;
    }
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
    if (this.dirty.size > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.run());
    }
  }
}
