// The Claude Code hook path as the composition root wires it, for tests and benches: the agent runtime (signal
// router, gate chain with the given policy, approval queue, stall watch, scopes) with the Claude Code adapter
// registered on a bridge. Disposing it removes the route and releases every agent's watchers.
import { ClaudeCodeAdapter } from '../../src/adapters/claudeCode/claudeCodeAdapter';
import { HOOKS_PATH } from '../../src/adapters/claudeCode/hookSettings';
import { policyAsGate } from '../../src/core/approvals/gateChain';
import type { ActionPolicy } from '../../src/core/approvals/policyGate';
import type { ApprovalQueue } from '../../src/core/approvals/approvalQueue';
import type { BridgeServer } from '../../src/core/bridge/bridgeServer';
import { AgentRuntime } from '../../src/core/fleet/agentRuntime';
import type { Fleet } from '../../src/core/fleet/fleet';
import type { Logger } from '../../src/core/log';
import type { Usage } from '../../src/shared/agent';

export const CLAUDE_HOOK_PATH = HOOKS_PATH;

export interface ClaudeStackOptions {
  readonly fleet: Fleet;
  readonly approvals: ApprovalQueue;
  readonly log: Logger;
  readonly bridge: Pick<BridgeServer, 'route'>;
  /** The policy gate (with its quarantine rule); none: no gate has an opinion. */
  readonly policy?: ActionPolicy;
  readonly price?: (model: string, usage: Usage) => number | undefined;
  readonly stallMs?: number;
}

export function claudeStack(options: ClaudeStackOptions): AgentRuntime {
  const runtime = new AgentRuntime({
    fleet: options.fleet,
    approvals: options.approvals,
    log: options.log,
    bridge: options.bridge,
    gates: options.policy ? [policyAsGate(options.policy)] : [],
    ...(options.price ? { price: options.price } : {}),
    stallMs: () => options.stallMs ?? 600_000,
  });
  runtime.register(new ClaudeCodeAdapter({ claudePath: () => 'claude', log: options.log, env: {} }));
  runtime.start();
  return runtime;
}
