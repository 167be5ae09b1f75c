// Per-agent scopes: each live agent is attached to its kind's adapter (watchers, timers) in a scope disposed when
// the agent ends (after a grace period for the last transcript lines) or is removed, and attached again when it
// comes back (a resumed session, a reload). An adapter that throws is contained to its agent: marked failed with
// the reason, the fleet and the other agents carry on.
import type { AgentSnapshot } from '../../shared/agent';
import { errorMessage } from '../../shared/errorMessage';
import type { AgentSignalSink } from '../agents/agentAdapter';
import type { AgentRegistry } from '../agents/agentRegistry';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { DisposableStore } from '../events';
import type { Disposable } from '../events';
import type { Logger } from '../log';
import { isEnded } from '../statusMachine';
import type { Fleet } from './fleet';

/** How long an ended agent keeps its watchers: Claude Code writes its last transcript lines after its last hooks. */
export const ENDED_GRACE_MS = 5_000;

interface Scope {
  readonly store: DisposableStore;
  endTimer?: unknown;
}

export class AgentScopes implements Disposable {
  private readonly scopes = new Map<string, Scope>();
  private readonly subscriptions: Disposable[] = [];
  private readonly clock: Clock;

  constructor(
    private readonly fleet: Fleet,
    private readonly registry: AgentRegistry,
    private readonly sink: AgentSignalSink,
    private readonly log: Logger,
    clock?: Clock,
  ) {
    this.clock = clock ?? systemClock;
  }

  /** Attaches every live agent, then follows the fleet. */
  start(): void {
    this.subscriptions.push(
      this.fleet.onDidChangeAgent((agent) => this.follow(agent)),
      this.fleet.onDidRemoveAgent((id) => this.detach(id)),
    );
    for (const agent of this.fleet.list()) this.follow(agent);
  }

  isAttached(agentId: string): boolean {
    return this.scopes.has(agentId);
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    for (const id of [...this.scopes.keys()]) this.detach(id);
  }

  private follow(agent: AgentSnapshot): void {
    const scope = this.scopes.get(agent.id);
    if (isEnded(agent.status)) {
      if (scope && scope.endTimer === undefined) scope.endTimer = this.clock.setTimeout(() => this.detach(agent.id), ENDED_GRACE_MS);
      return;
    }
    if (scope) {
      if (scope.endTimer !== undefined) this.clock.clearTimeout(scope.endTimer);
      scope.endTimer = undefined;
      return;
    }
    this.attach(agent);
  }

  private attach(agent: AgentSnapshot): void {
    const adapter = this.registry.get(agent.kind);
    if (!adapter) {
      this.log.warn(`agent ${agent.name}: no adapter for kind ${agent.kind}; it reports nothing`);
      return;
    }
    const scope: Scope = { store: new DisposableStore() };
    this.scopes.set(agent.id, scope);
    try {
      adapter.attach(agent, this.sink, scope.store);
    } catch (err) {
      this.log.error(`agent ${agent.name}: the ${adapter.label} adapter failed to attach: ${errorMessage(err)}`);
      this.detach(agent.id);
      this.fleet.apply(agent.id, 'errored', { statusReason: `${adapter.label} adapter failed: ${errorMessage(err)}` });
    }
  }

  private detach(agentId: string): void {
    const scope = this.scopes.get(agentId);
    if (!scope) return;
    this.scopes.delete(agentId);
    if (scope.endTimer !== undefined) this.clock.clearTimeout(scope.endTimer);
    try {
      scope.store.dispose();
    } catch (err) {
      this.log.warn(`agent ${agentId}: releasing its watchers failed: ${errorMessage(err)}`);
    }
  }
}
