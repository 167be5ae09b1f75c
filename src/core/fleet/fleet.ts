// The fleet: every agent's snapshot, kept in memory for fast reads, persisted on each change, and changed only
// through the status state machine. Emits one event per changed agent so views update the moment it happens.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Emitter } from '../events';
import type { Event, Disposable } from '../events';
import type { Logger } from '../log';
import { transition } from '../statusMachine';
import type { StatusEvent, TransitionResult } from '../statusMachine';
import { emptyUsage } from '../../shared/agent';
import type { AgentSnapshot, BudgetLimits, Usage, WorktreeInfo } from '../../shared/agent';
import type { AgentKind } from '../../shared/status';

export interface AgentRecord {
  readonly snapshot: AgentSnapshot;
  /** sha256 of the agent's bearer token: the token itself is never stored. */
  readonly tokenHash: string;
}

export interface FleetPersistence {
  loadAgents(): AgentRecord[];
  saveAgent(record: AgentRecord): void;
  deleteAgent(id: string): void;
}

export interface NewAgentSpec {
  readonly name: string;
  readonly kind: AgentKind;
  readonly group?: string;
  readonly cwd: string;
  readonly worktree?: WorktreeInfo;
  readonly command?: string;
  readonly prompt?: string;
  readonly budget?: BudgetLimits;
}

// The quarantine changes only through quarantine() and release(), never as a side effect of a status patch.
type Patch = Partial<Omit<AgentSnapshot, 'id' | 'status' | 'createdAt' | 'usage' | 'usageByModel' | 'costUsd' | 'quarantine'>>;

/** Evidence kept per quarantine: the newest entries, so a noisy agent cannot grow its snapshot without bound. */
const MAX_EVIDENCE = 50;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export class Fleet implements Disposable {
  private readonly agents = new Map<string, AgentRecord>();
  private readonly byTokenHash = new Map<string, string>();
  private readonly _onDidChangeAgent = new Emitter<AgentSnapshot>();
  private readonly _onDidRemoveAgent = new Emitter<string>();
  /** Fires with the agent after each change (status, usage, details). */
  readonly onDidChangeAgent: Event<AgentSnapshot> = this._onDidChangeAgent.event;
  readonly onDidRemoveAgent: Event<string> = this._onDidRemoveAgent.event;

  constructor(
    private readonly persistence: FleetPersistence,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    for (const record of persistence.loadAgents()) {
      this.agents.set(record.snapshot.id, record);
      this.byTokenHash.set(record.tokenHash, record.snapshot.id);
    }
  }

  list(): AgentSnapshot[] {
    return [...this.agents.values()].map((r) => r.snapshot).sort((a, b) => a.createdAt - b.createdAt);
  }

  get(id: string): AgentSnapshot | undefined {
    return this.agents.get(id)?.snapshot;
  }

  findByToken(token: string): AgentSnapshot | undefined {
    const id = this.byTokenHash.get(hashToken(token));
    return id === undefined ? undefined : this.get(id);
  }

  /** A name not used by any agent yet: `agent-1`, `agent-2`, ... */
  suggestName(prefix = 'agent'): string {
    const taken = new Set(this.list().map((a) => a.name));
    for (let i = 1; ; i++) {
      if (!taken.has(`${prefix}-${i}`)) return `${prefix}-${i}`;
    }
  }

  isNameTaken(name: string): boolean {
    return this.list().some((a) => a.name === name);
  }

  /** Registers a new agent; the returned token is shown to the agent once and only its hash is kept. */
  create(spec: NewAgentSpec): { agent: AgentSnapshot; token: string } {
    const token = randomBytes(24).toString('base64url');
    const now = this.now();
    const snapshot: AgentSnapshot = {
      id: randomUUID(),
      name: spec.name,
      kind: spec.kind,
      group: spec.group,
      status: 'starting',
      createdAt: now,
      startedAt: now,
      cwd: spec.cwd,
      worktree: spec.worktree,
      command: spec.command,
      prompt: spec.prompt,
      budget: spec.budget,
      usage: emptyUsage(),
      usageByModel: {},
      costUsd: 0,
      unpricedModels: [],
      transcriptPaths: [],
    };
    const record = { snapshot, tokenHash: hashToken(token) };
    this.byTokenHash.set(record.tokenHash, snapshot.id);
    this.store(record);
    return { agent: snapshot, token };
  }

  /** Moves an agent through the state machine; refused moves are logged and change nothing. */
  apply(id: string, event: StatusEvent, patch: Patch = {}): TransitionResult | undefined {
    const record = this.agents.get(id);
    if (!record) {
      this.log.warn(`status event '${event}' for unknown agent ${id} ignored`);
      return undefined;
    }
    const result = transition(record.snapshot.status, event);
    if (!result.ok) {
      this.log.debug(`agent ${record.snapshot.name}: ${result.reason}`);
      if (Object.keys(patch).length > 0) this.update(id, patch);
      return result;
    }
    const now = this.now();
    const ended = result.status === 'done' || result.status === 'failed' || result.status === 'stopped';
    this.store({
      ...record,
      snapshot: {
        ...record.snapshot,
        ...patch,
        status: result.status,
        lastEventAt: now,
        endedAt: ended ? (record.snapshot.endedAt ?? now) : undefined,
        currentTool: ended || result.status === 'idle' ? undefined : (patch.currentTool ?? record.snapshot.currentTool),
        statusReason: patch.statusReason ?? (result.changed ? undefined : record.snapshot.statusReason),
      },
    });
    return result;
  }

  /** Changes details that are not the status (session id, model, tool, reason...). */
  update(id: string, patch: Patch): void {
    const record = this.agents.get(id);
    if (!record) return;
    this.store({ ...record, snapshot: { ...record.snapshot, ...patch } });
  }

  /** Replaces the agent's usage with totals recomputed from its sources (transcripts), so a re-read never double counts. */
  setUsage(id: string, usageByModel: Record<string, Usage>, costUsd: number, unpricedModels: string[]): void {
    const record = this.agents.get(id);
    if (!record) return;
    const usage = emptyUsage();
    let model = record.snapshot.model;
    for (const [name, u] of Object.entries(usageByModel)) {
      usage.input += u.input;
      usage.output += u.output;
      usage.cacheRead += u.cacheRead;
      usage.cacheWrite += u.cacheWrite;
      model = name;
    }
    this.store({ ...record, snapshot: { ...record.snapshot, model, usage, usageByModel, costUsd, unpricedModels } });
  }

  /**
   * Puts the agent in quarantine (every tool call then needs approval); a second quarantine keeps the first reason
   * and time and adds its evidence. Returns the agent, or undefined when it is unknown.
   */
  quarantine(id: string, reason: string, evidence: readonly string[]): AgentSnapshot | undefined {
    const record = this.agents.get(id);
    if (!record) return undefined;
    const was = record.snapshot.quarantine;
    const merged = [...(was?.evidence ?? []), ...evidence.filter((e) => !was?.evidence.includes(e))].map((e) => e.slice(0, 4096));
    const quarantine = {
      since: was?.since ?? this.now(),
      reason: (was?.reason ?? reason).slice(0, 2048),
      evidence: merged.slice(-MAX_EVIDENCE),
    };
    this.store({ ...record, snapshot: { ...record.snapshot, quarantine } });
    return this.get(id);
  }

  /** Ends the agent's quarantine; false when it was not quarantined. */
  release(id: string): boolean {
    const record = this.agents.get(id);
    if (!record?.snapshot.quarantine) return false;
    const { quarantine: _released, ...snapshot } = record.snapshot;
    this.store({ ...record, snapshot });
    return true;
  }

  remove(id: string): void {
    const record = this.agents.get(id);
    if (!record) return;
    this.agents.delete(id);
    this.byTokenHash.delete(record.tokenHash);
    this.persistence.deleteAgent(id);
    this._onDidRemoveAgent.fire(id);
  }

  dispose(): void {
    this._onDidChangeAgent.dispose();
    this._onDidRemoveAgent.dispose();
  }

  private store(record: AgentRecord): void {
    this.agents.set(record.snapshot.id, record);
    try {
      this.persistence.saveAgent(record);
    } catch (err) {
      // The in-memory fleet stays right; the user learns from the log that history may be lost on reload.
      this.log.error(`could not save agent ${record.snapshot.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
    this._onDidChangeAgent.fire(record.snapshot);
  }
}
