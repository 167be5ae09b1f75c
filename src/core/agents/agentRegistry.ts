// The agent kinds this Flotilla knows: the composition root registers one adapter per kind; New Agent lists the
// launchable ones; the core asks the registry instead of switching on `kind`.
import type { AgentKind } from '../../shared/status';
import type { AgentAdapter } from './agentAdapter';

export class AgentRegistry {
  private readonly adapters = new Map<AgentKind, AgentAdapter>();

  register(adapter: AgentAdapter): void {
    if (this.adapters.has(adapter.kind)) throw new Error(`an adapter for ${adapter.kind} is registered already`);
    this.adapters.set(adapter.kind, adapter);
  }

  get(kind: AgentKind): AgentAdapter | undefined {
    return this.adapters.get(kind);
  }

  /** Every registered adapter, in registration order. */
  all(): AgentAdapter[] {
    return [...this.adapters.values()];
  }

  /** The kinds New Agent can start on this machine. */
  launchable(): AgentAdapter[] {
    return this.all().filter((a) => a.plan !== undefined);
  }
}
