// Where a remote agent's frames are made durable before the supervisor acks them (docs/protocol.md: at-least-once on
// the wire, exactly-once in the store): the store's remote frame journal in Flotilla, or, without a store, a mark per
// agent in memory (resume across reconnects, not across restarts); and which approval requests it holds already.
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
  /** The request ids of the approval requests stored for this session of the agent. */
  approvalRequestIds(agentId: string, sessionId: string): string[];
}

/** The frames kept in the journal: what the agent did. Heartbeats (liveness, repeated by timers) and acks are not. */
export const JOURNALED_FRAME_TYPES: readonly Frame['type'][] = ['span', 'event', 'approval_request'];

export class MemoryJournal implements RemoteJournal {
  private readonly marks = new Map<string, { sessionId: string; lastSeq: number }>();
  private readonly requests = new Map<string, string[]>();

  session(agentId: string): { readonly sessionId: string; readonly lastSeq: number } | undefined {
    return this.marks.get(agentId);
  }

  commit(agentId: string, sessionId: string, lastSeq: number, frames: readonly JournalFrame[]): void {
    const current = this.marks.get(agentId);
    const floor = current?.sessionId === sessionId ? current.lastSeq : -1;
    const top = frames.at(-1)?.seq ?? -1;
    this.marks.set(agentId, { sessionId, lastSeq: Math.max(floor, lastSeq, top) });
    for (const frame of frames) {
      if (frame.type !== 'approval_request') continue;
      const key = `${agentId}\n${sessionId}`;
      this.requests.set(key, [...(this.requests.get(key) ?? []), (JSON.parse(frame.body) as { request_id: string }).request_id]);
    }
  }

  approvalRequestIds(agentId: string, sessionId: string): string[] {
    return this.requests.get(`${agentId}\n${sessionId}`) ?? [];
  }

  commitMany(commits: readonly JournalCommit[]): void {
    for (const c of commits) this.commit(c.agentId, c.sessionId, c.lastSeq, c.frames);
  }
}

/** Most approval request ids remembered per agent (its current session's), past which the oldest are forgotten. */
const MAX_REMEMBERED_REQUESTS = 10_000;

/**
 * The approval requests already in the journal, per agent and session: a runner asks a pending approval again after a
 * reconnect (same request_id, new seq), and it is stored once. Read from the journal once per agent and session.
 */
export class JournaledRequests {
  private readonly byAgent = new Map<string, { readonly sessionId: string; readonly ids: Set<string> }>();

  constructor(private readonly journal: RemoteJournal) {}

  has(agentId: string, sessionId: string, requestId: string): boolean {
    return this.entry(agentId, sessionId).ids.has(requestId);
  }

  add(agentId: string, sessionId: string, requestId: string): void {
    const { ids } = this.entry(agentId, sessionId);
    ids.add(requestId);
    if (ids.size > MAX_REMEMBERED_REQUESTS) ids.delete(ids.values().next().value!);
  }

  /** For one batch of frames: which of its approval requests are new (stored now); `stored()` once the batch is. */
  batch(agentId: string, sessionId: string, onReadError: (err: unknown) => void): { isNew(requestId: string): boolean; stored(): void } {
    const fresh: string[] = [];
    return {
      isNew: (requestId) => {
        if (fresh.includes(requestId)) return false;
        let seen = false;
        try {
          seen = this.has(agentId, sessionId, requestId);
        } catch (err) {
          // Unknown: stored (perhaps twice) rather than perhaps not at all.
          onReadError(err);
        }
        if (!seen) fresh.push(requestId);
        return !seen;
      },
      stored: () => {
        for (const id of fresh) this.add(agentId, sessionId, id);
      },
    };
  }

  private entry(agentId: string, sessionId: string): { readonly sessionId: string; readonly ids: Set<string> } {
    let entry = this.byAgent.get(agentId);
    if (entry?.sessionId !== sessionId) {
      entry = { sessionId, ids: new Set(this.journal.approvalRequestIds(agentId, sessionId).slice(-MAX_REMEMBERED_REQUESTS)) };
      this.byAgent.set(agentId, entry);
    }
    return entry;
  }
}
