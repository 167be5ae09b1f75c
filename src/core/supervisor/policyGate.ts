// Applies the approval policy to Claude Code's PreToolUse: prohibited actions are denied with the reason,
// autonomous and notify ones are allowed, approve ones wait for a human. Every policy decision is audited.
import type { Logger } from '../log';
import type { FleetStore } from '../store/store';
import type { CompiledPolicy } from '../policy/compilePolicy';
import { evaluate } from '../policy/evaluate';
import { inputDigest } from '../approvals/auditRecorder';
import type { AgentSnapshot } from '../../shared/agent';
import type { PreToolUsePolicy, PreToolUseVerdict } from './claudeHookHandler';

export function policyGate(policy: () => CompiledPolicy, store: FleetStore, log: Logger): PreToolUsePolicy {
  return (agent: AgentSnapshot, tool: string, input: unknown, cwd: string): PreToolUseVerdict => {
    const decision = evaluate(
      // sessionId too: "always allow for this session" rules match on it.
      { agent: { id: agent.id, name: agent.name, kind: agent.kind, group: agent.group, sessionId: agent.sessionId }, tool, input, cwd, worktreeRoot: agent.worktree?.path ?? agent.cwd },
      policy(),
    );
    const rule = decision.ruleId ?? undefined;
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
