// "Always allow this" from the approval UI: turns one pending request into the narrowest override rule, stores it
// (session rules in memory, agent rules in `.flotilla/policy.json`), makes it the policy in force, audits it, and
// only then allows the request. A request that is no longer pending writes nothing.
import type { AuditInput } from '../store/auditLog';
import type { DecideResult } from '../approvals/approvalQueue';
import type { AgentSnapshot } from '../../shared/agent';
import type { ApprovalDecision, DecidedBy, PendingApproval } from '../../shared/approval';
import type { PolicyRequest, PolicyRule } from '../../shared/policy';
import { narrowRuleFor } from './narrowRule';
import type { NarrowOptions, NarrowScope } from './narrowRule';
import type { SessionRules } from './sessionRules';
import type { AddRuleToFileResult } from './policyFileEdit';

/** Where an agent rule goes: `.flotilla/policy.json` of the workspace. */
export interface AgentRuleFile {
  /** How messages name it: ".flotilla/policy.json". */
  readonly label: string;
  add(rule: PolicyRule): AddRuleToFileResult;
}

export interface AlwaysAllowDeps {
  readonly queue: {
    get(id: string): PendingApproval | undefined;
    decide(id: string, decision: ApprovalDecision, decidedBy: DecidedBy, reason?: string): DecideResult;
  };
  readonly agent: (id: string) => AgentSnapshot | undefined;
  readonly sessionRules: SessionRules;
  /** Undefined without a workspace folder: then there is no file for agent rules and they are refused. */
  readonly agentRules: AgentRuleFile | undefined;
  readonly appendAudit: (entry: AuditInput) => void;
  /** Re-reads the policy layers now, so the rule is in force before the agent's next hook. */
  readonly reload: () => { ok: true } | { ok: false; error: string };
  readonly log: { error(message: string): void };
  readonly narrow?: NarrowOptions;
  readonly now?: () => number;
}

export type AlwaysAllowWhere =
  | { kind: 'session'; agentName: string; sessionId: string | undefined }
  | { kind: 'file'; label: string; file: string; idLine: number; replaced: boolean };

export type AlwaysAllowResult =
  | { ok: true; rule: PolicyRule; where: AlwaysAllowWhere; /** Something the human should know (the policy did not reload). */ warning?: string }
  | { ok: false; reason: string };

const SCOPE_TEXT: Record<NarrowScope, string> = { agent: 'this agent', session: 'this session' };

export class AlwaysAllowService {
  constructor(private readonly deps: AlwaysAllowDeps) {}

  alwaysAllow(requestId: string, scope: NarrowScope): AlwaysAllowResult {
    const d = this.deps;
    const pending = d.queue.get(requestId);
    if (!pending) return { ok: false, reason: 'this request is no longer pending (answered, timed out, or its agent moved on), so no rule was added' };
    const agent = d.agent(pending.agentId);
    if (!agent) return { ok: false, reason: `${pending.agentName} is no longer in the fleet, so no rule was added` };
    const rule = narrowRuleFor(policyRequestFor(pending, agent), scope, d.narrow);
    if (!rule) {
      return { ok: false, reason: 'Flotilla cannot pin this request down to one exact, understood action (its input could not be read, or the command may run code or write where the policy cannot see), so it made no rule; allow or deny it once instead' };
    }

    let where: AlwaysAllowWhere;
    if (scope === 'session') {
      const sessionId = pending.sessionId ?? agent.sessionId;
      d.sessionRules.add({ rule, agentId: agent.id, agentName: agent.name, sessionId, addedAt: (d.now ?? Date.now)() });
      where = { kind: 'session', agentName: agent.name, sessionId };
    } else {
      if (!d.agentRules) {
        return { ok: false, reason: 'no workspace folder is open, so there is no .flotilla/policy.json to keep the rule in; use "Always allow for this session" instead' };
      }
      const written = d.agentRules.add(rule);
      if (!written.ok) return written;
      where = { kind: 'file', label: d.agentRules.label, file: written.file, idLine: written.idLine, replaced: written.replaced };
    }
    // The session layer reloads on its own change event; the file watcher would be too late for the next hook.
    const reloaded = where.kind === 'file' ? d.reload() : ({ ok: true } as const);
    const warning = reloaded.ok ? undefined : `the rule was written but the policy did not reload, so it is not in force yet: ${reloaded.error}`;

    try {
      d.appendAudit({
        actor: 'user',
        action: 'policy.rule_added',
        agentId: agent.id,
        subject: rule.description,
        data: {
          ruleId: rule.id,
          scope,
          description: rule.description,
          where: where.kind === 'file' ? where.label : 'session',
          sessionId: where.kind === 'session' ? where.sessionId : undefined,
          requestId: pending.id,
          tool: pending.tool,
          rule,
        },
      });
    } catch (err) {
      d.log.error(`could not audit the rule ${rule.id}: ${err instanceof Error ? err.message : String(err)}`);
    }

    const decided = d.queue.decide(pending.id, 'allow', 'user', `Allowed always for ${SCOPE_TEXT[scope]}: ${rule.id}`);
    if (!decided.ok) {
      // Cannot happen while everything above is synchronous; if it does, the rule stays and the human is told.
      return { ok: true, rule, where, warning: `the rule was added, but this request could not be allowed: ${decided.reason}` };
    }
    return warning ? { ok: true, rule, where, warning } : { ok: true, rule, where };
  }
}

/** The request as the policy gate sees it, rebuilt from the queue entry and the agent. */
export function policyRequestFor(pending: PendingApproval, agent: AgentSnapshot): PolicyRequest {
  const sessionId = pending.sessionId ?? agent.sessionId;
  return {
    agent: {
      id: agent.id,
      name: agent.name,
      kind: agent.kind,
      ...(agent.group !== undefined ? { group: agent.group } : {}),
      ...(sessionId !== undefined ? { sessionId } : {}),
    },
    tool: pending.tool,
    input: pending.input,
    cwd: pending.cwd ?? agent.cwd,
    worktreeRoot: agent.worktree?.path ?? agent.cwd,
  };
}
