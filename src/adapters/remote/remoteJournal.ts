// Where a remote agent's frames are made durable before the supervisor acks them (docs/protocol.md: at-least-once on
// the wire, exactly-once in the store): the store's remote frame journal in Flotilla, or, without a store, a mark per
// agent in memory (resume across reconnects, not across restarts).
import type { Frame } from '../../shared/protocol/frames';

export interface JournalFrame {
  readonly seq: number;
  readonly type: string;
  readonly body: string;
}

export interface JournalCommit {
  readonly agentId: string;
  readonly sessionId: string;
  readonly lastSeq: number;
  readonly frames: readonly JournalFrame[];
}

export interface RemoteJournal {
  /** The agent's current session and the highest seq of it whose effect is stored. */
  session(agentId: string): { readonly sessionId: string; readonly lastSeq: number } | undefined;
  /** Writes the frames and moves the mark to `lastSeq`, atomically; throws when it cannot (nothing is acked then). */
  commit(agentId: string, sessionId: string, lastSeq: number, frames: readonly JournalFrame[]): void;
  /** Several commits in one transaction: all or none. */
  commitMany(commits: readonly JournalCommit[]): void;
}

/** The frames kept in the journal: what the agent did. Heartbeats (liveness, repeated by timers) and acks are not. */
export const JOURNALED_FRAME_TYPES: readonly Frame['type'][] = ['span', 'event', 'approval_request'];

export class MemoryJournal implements RemoteJournal {
  private readonly marks = new Map<string, { sessionId: string; lastSeq: number }>();

  session(agentId: string): { readonly sessionId: string; readonly lastSeq: number } | undefined {
    return this.marks.get(agentId);
  }

  commit(agentId: string, sessionId: string, lastSeq: number, frames: readonly JournalFrame[]): void {
    const current = this.marks.get(agentId);
    const floor = current?.sessionId === sessionId ? current.lastSeq : -1;
    const top = frames.at(-1)?.seq ?? -1;
    this.marks.set(agentId, { sessionId, lastSeq: Math.max(floor, lastSeq, top) });
  }

  commitMany(commits: readonly JournalCommit[]): void {
    for (const c of commits) this.commit(c.agentId, c.sessionId, c.lastSeq, c.frames);
  }
}
