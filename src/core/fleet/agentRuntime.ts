// The agent seam wired in one place (the composition root and tests use it alike): the registry of adapters, the
// signal router (facts -> statuses, approvals through the gate chain and the queue), the stall watch for every kind,
// and per-agent scopes. `register(adapter)` is the one line a new kind needs.
import type { Usage } from '../../shared/agent';
import { errorMessage } from '../../shared/errorMessage';
import type { AdapterHost, AgentAdapter } from '../agents/agentAdapter';
import { AgentRegistry } from '../agents/agentRegistry';
import { bridgeAdapterHost } from '../agents/bridgeAdapterHost';
import { ActionApprover } from '../approvals/actionApprover';
import type { ApprovalQueue } from '../approvals/approvalQueue';
import { gateChain } from '../approvals/gateChain';
import type { ActionGate } from '../approvals/gateChain';
import type { BridgeServer } from '../bridge/bridgeServer';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { DisposableStore } from '../events';
import type { Disposable } from '../events';
import type { Logger } from '../log';
import { AgentScopes } from './agentScopes';
import type { Fleet } from './fleet';
import { SignalRouter } from './signalRouter';
import type { SignalRouterOptions } from './signalRouter';
import { StallWatch } from './stallWatch';

export interface AgentRuntimeOptions {
  readonly fleet: Fleet;
  readonly approvals: ApprovalQueue;
  readonly log: Logger;
  readonly bridge: Pick<BridgeServer, 'route'>;
  /** In order: budget (when it lands), then the policy with its quarantine rule. The strictest verdict wins. */
  readonly gates: readonly ActionGate[];
  readonly price?: (model: string, usage: Usage, request?: { readonly cacheWrite1h?: number }) => number | undefined;
  /** Each model request as it is counted (kept by the store for re-pricing). */
  readonly onRequest?: SignalRouterOptions['onRequest'];
  /** Whether a budget covers the agent (adapters then count a tool call's request before it is decided). */
  readonly budgetBinds?: SignalRouterOptions['budgetBinds'];
  /** `flotilla.stallSeconds` in ms, read at each check. */
  readonly stallMs: () => number;
  readonly clock?: Clock;
}

export class AgentRuntime implements Disposable {
  readonly registry = new AgentRegistry();
  readonly router: SignalRouter;
  readonly stall: StallWatch;
  readonly scopes: AgentScopes;
  private readonly d = new DisposableStore();

  constructor(private readonly options: AgentRuntimeOptions) {
    const clock = options.clock ?? systemClock;
    this.stall = this.d.add(
      new StallWatch({
        fleet: options.fleet,
        clock,
        stallMs: options.stallMs,
        // A kind without an adapter reports nothing (yet): its silence says nothing either.
        watches: (agent) => {
          const adapter = this.registry.get(agent.kind);
          return adapter !== undefined && adapter.capabilities.silentWhileWorking !== true;
        },
      }),
    );
    this.router = new SignalRouter({
      fleet: options.fleet,
      approvals: options.approvals,
      approver: new ActionApprover(gateChain(options.gates), options.approvals, options.log),
      log: options.log,
      stall: this.stall,
      ...(options.price ? { price: options.price } : {}),
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
      ...(options.budgetBinds ? { budgetBinds: options.budgetBinds } : {}),
      clock,
    });
    this.scopes = this.d.add(new AgentScopes(options.fleet, this.registry, this.router, options.log, clock));
  }

  /**
   * Activates an adapter (its shared routes) and registers it; `activated`: its owner activated it already. An
   * adapter whose activation throws is logged and left out (false).
   */
  register(adapter: AgentAdapter, options: { readonly activated?: boolean } = {}): boolean {
    if (!options.activated && adapter.activate) {
      try {
        this.d.add(adapter.activate(this.host(adapter.kind, adapter.label)));
      } catch (err) {
        // Contained: this kind is not offered and its agents report nothing; Flotilla and the other kinds carry on.
        this.options.log.error(`the ${adapter.label} adapter failed to start: ${errorMessage(err)}`);
        return false;
      }
    }
    this.registry.register(adapter);
    return true;
  }

  /** What an adapter is lent: the router as its sink, bridge routes authenticated by tokens of its kind. */
  host(kind: AgentAdapter['kind'], label: string): AdapterHost {
    const { fleet, log, bridge } = this.options;
    return bridgeAdapterHost(kind, label, { bridge, fleet, sink: this.router, log });
  }

  /** Attaches the live agents (after a reload too) and follows the fleet. */
  start(): void {
    this.scopes.start();
  }

  dispose(): void {
    this.d.dispose();
  }
}
