// The gates an action passes before a human sees it: a budget gate (slot), then the policy with the quarantine.
// The strictest verdict wins whatever the order (deny > a human must approve > allow > no opinion), so adding a
// gate can only make Flotilla stricter, never let through what another gate stopped.
import type { AgentSnapshot } from '../../shared/agent';
import type { ToolAction } from '../agents/agentSignal';
import type { ActionPolicy, ActionVerdict } from './policyGate';

export interface GateContext {
  /** The agent, with the session the action belongs to. */
  readonly agent: AgentSnapshot;
  readonly action: ToolAction;
  readonly cwd: string;
}

/** One gate: a verdict, or `{ kind: 'pass' }` for no opinion. */
export type ActionGate = (ctx: GateContext) => ActionVerdict;

const rank: Record<ActionVerdict['kind'], number> = { pass: 0, allow: 1, approve: 2, deny: 3 };

export function gateChain(gates: readonly ActionGate[]): ActionGate {
  return (ctx) => {
    let strictest: ActionVerdict = { kind: 'pass' };
    for (const gate of gates) {
      const verdict = gate(ctx);
      if (verdict.kind === 'deny') return verdict;
      if (rank[verdict.kind] > rank[strictest.kind]) strictest = verdict;
    }
    return strictest;
  };
}

/** The policy (with its quarantine rule) as a gate. */
export function policyAsGate(policy: ActionPolicy): ActionGate {
  return ({ agent, action, cwd }) => policy(agent, action.tool, action.input, cwd);
}
