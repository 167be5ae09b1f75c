// The real hook path for the budget tests that run the real Claude Code CLI: a bridge, the agent runtime with the
// budget gate and per-request pricing from the shipped price book, the Claude Code adapter, and the hook settings a
// `claude` run needs to reach it.
import { join } from 'node:path';
import { buildHookSettings } from '../../../src/adapters/claudeCode/hookSettings';
import { ClaudeCodeAdapter } from '../../../src/adapters/claudeCode/claudeCodeAdapter';
import type { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import type { ActionGate } from '../../../src/core/approvals/gateChain';
import { BridgeServer } from '../../../src/core/bridge/bridgeServer';
import { AgentRuntime } from '../../../src/core/fleet/agentRuntime';
import type { Fleet } from '../../../src/core/fleet/fleet';
import type { Logger } from '../../../src/core/log';
import { PriceBook } from '../../../src/core/pricing/priceBook';

export interface BudgetedRuntime {
  readonly runtime: AgentRuntime;
  readonly bridge: BridgeServer;
  readonly bridgeUrl: string;
  readonly settings: ReturnType<typeof buildHookSettings>;
}

/** `beforeStart` runs after the adapter is registered and before the runtime starts (to follow its facts). */
export async function budgetedRuntime(o: { fleet: Fleet; approvals: ApprovalQueue; log: Logger; gate: ActionGate; hookDir: string; beforeStart?: (runtime: AgentRuntime) => void }): Promise<BudgetedRuntime> {
  const bridge = new BridgeServer(o.log);
  const book = new PriceBook();
  const runtime = new AgentRuntime({
    fleet: o.fleet,
    approvals: o.approvals,
    log: o.log,
    bridge,
    gates: [o.gate],
    price: (m, u, request) => {
      const p = book.price(m, { ...u, cacheWrite1h: request?.cacheWrite1h ?? 0 });
      return p.ok ? p.costUsd : undefined;
    },
    stallMs: () => 600_000,
  });
  runtime.register(new ClaudeCodeAdapter({ claudePath: () => 'claude', log: o.log, env: {} }));
  o.beforeStart?.(runtime);
  runtime.start();
  const { port } = await bridge.listen(0);
  const bridgeUrl = `http://127.0.0.1:${port}`;
  const settings = buildHookSettings({ bridgeUrl, timeoutSeconds: 60, hookProgram: { script: join(o.hookDir, 'hook.js'), node: process.execPath } });
  return { runtime, bridge, bridgeUrl, settings };
}
