// Applies the approval policy to an action an agent asks to take (Claude Code's PreToolUse, a remote agent's
// approval_request): prohibited denied with the reason, autonomous and notify allowed, approve waits for a human.
// Every policy decision is audited. A quarantined agent's autonomous and notify actions wait for a human too.
import type { Logger } from '../log';
import type { FleetStore } from '../store/store';
import type { CompiledPolicy } from '../policy/compilePolicy';
import { evaluate } from '../policy/evaluate';
import { inputDigest } from './auditRecorder';
import type { AgentSnapshot } from '../../shared/agent';

/** What the policy says about an action before anyone is asked. */
export type ActionVerdict =
  | { readonly kind: 'allow'; readonly tier: string; readonly rule?: string }
  | { readonly kind: 'deny'; readonly tier: string; readonly rule?: string; readonly reason: string }
  | { readonly kind: 'approve'; readonly tier: string; readonly rule?: string; /** Why a human must decide, when not the rule's tier. */ readonly reason?: string }
  /** No opinion: the agent decides (Claude Code may ask through PermissionRequest). */
  | { readonly kind: 'pass' };

/** The policy's verdict on one action: Claude Code's PreToolUse and remote agents' approval requests (any JSON input). */
export type ActionPolicy = (agent: AgentSnapshot, tool: string, input: unknown, cwd: string) => ActionVerdict;

/** The rule named for an action sent to a human only because its agent is quarantined. */
export const QUARANTINE_RULE = 'flotilla.quarantine';

/** What the agent is told with a verdict the policy settled on its own. */
export function verdictReason(verdict: Extract<ActionVerdict, { kind: 'allow' | 'deny' }>): string {
  return verdict.kind === 'deny' ? verdict.reason : `Allowed by Flotilla policy (${verdict.tier})`;
}

export function policyGate(policy: () => CompiledPolicy, store: FleetStore, log: Logger): ActionPolicy {
  return (agent: AgentSnapshot, tool: string, input: unknown, cwd: string): ActionVerdict => {
    const decision = evaluate(
      // sessionId too: "always allow for this session" rules match on it.
      { agent: { id: agent.id, name: agent.name, kind: agent.kind, group: agent.group, sessionId: agent.sessionId }, tool, input, cwd, worktreeRoot: agent.worktree?.path ?? agent.cwd },
      policy(),
    );
    const rule = decision.ruleId ?? undefined;
    if (agent.quarantine && (decision.tier === 'autonomous' || decision.tier === 'notify')) {
      // The human sees the request like any other; the log keeps what the policy would have done.
      const reason = `${agent.name} is quarantined (${agent.quarantine.reason}); the policy would have allowed this (${decision.tier}, ${rule ?? 'default'})`;
      log.info(`${agent.name}: ${tool} needs approval: ${reason}`);
      return { kind: 'approve', tier: 'approve', rule: QUARANTINE_RULE, reason };
    }
    if (decision.tier !== 'approve') {
      const allowed = decision.tier !== 'prohibited';
      if (decision.tier !== 'autonomous') log.info(`${agent.name}: ${tool} ${allowed ? 'allowed' : 'denied'} by policy (${decision.tier}, ${rule ?? 'default'}): ${decision.reason}`);
      try {
        store.appendAudit({
          actor: 'policy',
          action: allowed ? 'approval.allow' : 'approval.deny',
          agentId: agent.id,
          subject: `${tool}: ${decision.matched.subject}`.slice(0, 500),
          data: { sessionId: agent.sessionId, tool, inputSha256: inputDigest(input), tier: decision.tier, rule, reason: decision.reason, latencyMs: 0 },
        });
      } catch (err) {
        log.error(`could not audit a policy decision: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    switch (decision.tier) {
      case 'prohibited':
        return { kind: 'deny', tier: decision.tier, rule, reason: `Prohibited by Flotilla policy (${rule ?? 'default'}): ${decision.reason}` };
      case 'approve':
        return { kind: 'approve', tier: decision.tier, rule };
      default:
        return { kind: 'allow', tier: decision.tier, rule };
    }
  };
}
