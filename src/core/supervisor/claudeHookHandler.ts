// The supervisor's side of Claude Code's hooks: authenticates the agent by its token, validates the payload,
// moves the agent's status, reads its transcript for tokens, and holds permission requests open until a decision.
// Whatever goes wrong here, the reply never allows: Claude Code then falls back to its own permission prompt.
import type { Logger } from '../log';
import type { Fleet } from '../fleet/fleet';
import type { ApprovalQueue } from '../approvals/approvalQueue';
import type { BridgeRequest, BridgeResponse, RouteAccess } from '../bridge/bridgeServer';
import type { UsageTracker } from './usageTracker';
import { parseHookPayload } from '../../shared/claudeCode/hookPayloads';
import { mapHookPayload, permissionReply } from '../../adapters/claudeCode/hookMapping';
import type { HookAction } from '../../adapters/claudeCode/hookMapping';
import { HOOKS_PATH } from '../../adapters/claudeCode/hookSettings';
import type { AgentSnapshot } from '../../shared/agent';
import { verdictReason } from './policyGate';
import type { ActionPolicy } from './policyGate';

export const CLAUDE_HOOK_PATH = HOOKS_PATH;

const ok = (body: unknown): BridgeResponse => ({ status: 200, body });

export class ClaudeHookHandler {
  /** For BridgeServer.route: the token is looked up before the body is read (401 at once for a stranger). */
  readonly access: RouteAccess = { authenticate: (token) => this.fleet.findByToken(token)?.id };

  constructor(
    private readonly fleet: Fleet,
    private readonly approvals: ApprovalQueue,
    private readonly usage: UsageTracker,
    private readonly log: Logger,
    private readonly policy: ActionPolicy = () => ({ kind: 'pass' }),
    private readonly now: () => number = Date.now,
  ) {}

  async handle(request: BridgeRequest, signal: AbortSignal): Promise<BridgeResponse> {
    if (!request.token) {
      this.log.warn('Claude Code hook without a bearer token rejected');
      return { status: 401, body: { error: 'missing bearer token' } };
    }
    const agent = this.fleet.findByToken(request.token);
    if (!agent) {
      this.log.warn('Claude Code hook with an unknown token rejected (an agent removed from Flotilla, or a stray session)');
      return { status: 401, body: { error: 'unknown agent token' } };
    }
    const parsed = parseHookPayload(request.body);
    if (!parsed.ok) {
      this.log.warn(`hook from ${agent.name} rejected: ${parsed.error}`);
      return { status: 400, body: { error: parsed.error, field: parsed.field } };
    }
    const payload = parsed.payload;
    // The payload's session, not the snapshot's: the snapshot learns a new session only in record() below, and
    // session rules are pinned to the session id the approval request carried (this one).
    const verdict =
      payload.hook_event_name === 'PreToolUse'
        ? this.policy({ ...agent, sessionId: payload.session_id }, payload.tool_name, payload.tool_input, payload.cwd)
        : ({ kind: 'pass' } as const);
    const action = mapHookPayload(payload, { preToolUseNeedsApproval: verdict.kind === 'approve' });

    this.invalidateOvertaken(agent, action);
    this.record(agent, action);
    void this.usage.poll(agent.id, action.transcriptPath).catch((err: unknown) => {
      this.log.warn(`could not read the transcript of ${agent.name}: ${err instanceof Error ? err.message : String(err)}`);
    });

    if (payload.hook_event_name === 'PreToolUse' && (verdict.kind === 'allow' || verdict.kind === 'deny')) {
      return ok(permissionReply('PreToolUse', verdict.kind, verdictReason(verdict)));
    }
    if (!action.waitsForDecision || !action.tool || (payload.hook_event_name !== 'PreToolUse' && payload.hook_event_name !== 'PermissionRequest')) {
      return ok({});
    }
    const resolution = await this.approvals.request(
      {
        agentId: agent.id,
        agentName: agent.name,
        sessionId: action.sessionId,
        tool: action.tool.name,
        summary: action.tool.summary,
        input: action.tool.input,
        cwd: action.cwd,
        tier: verdict.kind === 'approve' ? verdict.tier : undefined,
        rule: verdict.kind === 'approve' ? verdict.rule : undefined,
      },
      signal,
    );
    if (this.fleet.get(agent.id)?.status === 'waiting-approval') this.fleet.apply(agent.id, 'approvalResolved');
    if (resolution.kind !== 'decided') {
      this.log.info(`${agent.name}: ${action.tool.summary} left to Claude Code's own prompt (${resolution.reason})`);
      return ok(permissionReply(payload.hook_event_name, undefined));
    }
    const reason = resolution.decision === 'deny' ? (resolution.reason ?? 'Denied in Flotilla') : resolution.reason;
    return ok(permissionReply(payload.hook_event_name, resolution.decision, reason));
  }

  private record(agent: AgentSnapshot, action: HookAction): void {
    const patch = {
      sessionId: action.subagent ? agent.sessionId : action.sessionId,
      transcriptPath: action.subagent ? agent.transcriptPath : action.transcriptPath,
      currentTool: action.tool ? { name: action.tool.name, summary: action.tool.summary, since: this.now() } : undefined,
      statusReason: action.event === 'Notification' || action.event === 'StopFailure' ? action.detail : undefined,
    };
    if (action.status) this.fleet.apply(agent.id, action.status, patch);
    else this.fleet.update(agent.id, patch);
  }

  /**
   * A request is stale once its session moved past it: the tool ran or failed (answered in the terminal),
   * or the turn or session ended. A late click on its notification is then refused.
   */
  private invalidateOvertaken(agent: AgentSnapshot, action: HookAction): void {
    const sameSession = (r: { agentId: string; sessionId?: string }) => r.agentId === agent.id && r.sessionId === action.sessionId;
    switch (action.event) {
      case 'PostToolUse':
      case 'PostToolUseFailure':
        this.approvals.invalidate((r) => sameSession(r) && r.tool === action.tool?.name, 'answered in the terminal');
        break;
      case 'Stop':
      case 'StopFailure':
      case 'UserPromptSubmit':
      case 'SessionEnd':
        if (!action.subagent) this.approvals.invalidate(sameSession, `the session moved on (${action.event})`);
        break;
      default:
        break;
    }
  }
}
