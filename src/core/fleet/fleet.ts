// The fleet: every agent's snapshot, kept in memory for fast reads, persisted on each change, and changed only
// through the status state machine. Emits one event per changed agent so views update the moment it happens.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Emitter } from '../events';
import type { Event, Disposable } from '../events';
import type { Logger } from '../log';
import { isActive, isEnded, transition } from '../statusMachine';
import type { StatusEvent, TransitionResult } from '../statusMachine';
import { emptyUsage } from '../../shared/agent';
import type { AgentSnapshot, BudgetLimits, Usage, WorktreeInfo } from '../../shared/agent';
import type { AgentKind, AgentStatus } from '../../shared/status';

const sumUsage = (a: Usage, b: Usage): Usage => ({
  input: a.input + b.input,
  output: a.output + b.output,
  cacheRead: a.cacheRead + b.cacheRead,
  cacheWrite: a.cacheWrite + b.cacheWrite,
});

/** Active time: a stretch opens when the agent becomes active (working, waiting for approval) and closes at `until`. */
function accrueActive(was: AgentSnapshot, next: AgentStatus, until: number, now: number): Pick<AgentSnapshot, 'activeMs' | 'activeSince'> {
  const open = was.activeSince !== undefined && isActive(was.status);
  if (isActive(next)) return { activeMs: was.activeMs, activeSince: open ? was.activeSince : now };
  return { activeMs: was.activeMs + (open ? Math.max(0, until - was.activeSince!) : 0), activeSince: undefined };
}

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
// Active time is the fleet's to keep (from status changes), never patched.
export type Patch = Partial<Omit<AgentSnapshot, 'id' | 'status' | 'createdAt' | 'usage' | 'usageByModel' | 'costUsd' | 'quarantine' | 'activeMs' | 'activeSince'>>;

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
      activeMs: 0,
    };
    const record = { snapshot, tokenHash: hashToken(token) };
    this.byTokenHash.set(record.tokenHash, snapshot.id);
    this.store(record);
    return { agent: snapshot, token };
  }

  /**
   * Moves an agent through the state machine; a refused move is logged with the agent and writes nothing (not even
   * the patch: a fact that contradicts the machine is never applied half). `patch.lastEventAt` overrides "now" as
   * the time of the last sign of life (the stall watch passes the last fact's time).
   */
  apply(id: string, event: StatusEvent, patch: Patch = {}): TransitionResult | undefined {
    const record = this.agents.get(id);
    if (!record) {
      this.log.warn(`status event '${event}' for unknown agent ${id} ignored`);
      return undefined;
    }
    const was = record.snapshot;
    const result = transition(was.status, event);
    if (!result.ok) {
      this.log.info(`agent ${was.name}: ${result.reason}; ignored`);
      return result;
    }
    const now = this.now();
    const ended = isEnded(result.status);
    const active = accrueActive(was, result.status, Math.min(now, patch.lastEventAt ?? now), now);
    this.store({
      ...record,
      snapshot: {
        ...was,
        ...patch,
        ...active,
        status: result.status,
        lastEventAt: patch.lastEventAt ?? now,
        endedAt: ended ? (was.endedAt ?? now) : undefined,
        currentTool: ended || result.status === 'idle' ? undefined : 'currentTool' in patch ? patch.currentTool : was.currentTool,
        statusReason: 'statusReason' in patch ? patch.statusReason : result.changed ? undefined : was.statusReason,
        waitingFor: 'waitingFor' in patch ? patch.waitingFor : result.changed ? undefined : was.waitingFor,
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

  /**
   * Adds one model request's tokens (a delta: every kind reports usage this way) and its price. Without a price the
   * model is listed as unpriced: its tokens are counted, its cost is not.
   */
  addUsage(id: string, model: string, delta: Usage, costUsd?: number): void {
    const record = this.agents.get(id);
    if (!record) return;
    if (delta.input + delta.output + delta.cacheRead + delta.cacheWrite === 0 && !costUsd) return;
    const was = record.snapshot;
    const before = was.usageByModel[model] ?? emptyUsage();
    const unpriced = costUsd === undefined && !was.unpricedModels.includes(model) ? [...was.unpricedModels, model] : was.unpricedModels;
    this.store({
      ...record,
      snapshot: {
        ...was,
        model,
        usage: sumUsage(was.usage, delta),
        usageByModel: { ...was.usageByModel, [model]: sumUsage(before, delta) },
        costUsd: was.costUsd + (costUsd ?? 0),
        unpricedModels: unpriced,
      },
    });
  }

  /** The agent's cost re-priced from its stored requests (a price or override changed): replaces the sum. */
  repriced(id: string, costUsd: number, unpricedModels: readonly string[]): void {
    const record = this.agents.get(id);
    if (!record || !(Number.isFinite(costUsd) && costUsd >= 0)) return;
    this.store({ ...record, snapshot: { ...record.snapshot, costUsd, unpricedModels: [...unpricedModels] } });
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

  /** Replaces the agent's token (its connection details are issued again); the old one stops working. */
  reissueToken(id: string): string | undefined {
    const record = this.agents.get(id);
    if (!record) return undefined;
    const token = randomBytes(24).toString('base64url');
    this.byTokenHash.delete(record.tokenHash);
    const renewed = { ...record, tokenHash: hashToken(token) };
    this.byTokenHash.set(renewed.tokenHash, id);
    this.store(renewed);
    return token;
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
