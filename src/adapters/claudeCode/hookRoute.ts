// Claude Code's hook route on the bridge (the bridge has checked the agent's token before the body): validates the
// payload, reports its facts, has the core decide PreToolUse/PermissionRequest through the sink, and answers with the
// exact body Claude Code reads. Whatever goes wrong, the reply never allows: Claude Code then asks the user itself.
import type { AdapterRouteRequest, AgentSignalSink, Verdict } from '../../core/agents/agentAdapter';
import type { AgentSignal } from '../../core/agents/agentSignal';
import type { Logger } from '../../core/log';
import { parseHookPayload } from '../../shared/claudeCode/hookPayloads';
import type { HookReply } from '../../shared/claudeCode/hookPayloads';
import { hookFacts, neutralReply, permissionReply } from './hookMapping';

/** What the route knows of an attached agent (its session, its transcripts, whether a turn is open). */
export interface ClaudeAgentState {
  readonly sink: AgentSignalSink;
  sessionId?: string;
  /** Reports a fact (and keeps track of the turn). */
  report(fact: AgentSignal): void;
  followTranscript(path: string): void;
  /**
   * Reads what the agent's transcripts gained, with `toolUseId` until the line asking for that call is there (bounded):
   * resolves once the usage facts are reported; never rejects.
   */
  readTranscripts?(toolUseId?: string): Promise<void>;
}

export interface HookRouteDeps {
  /** The sink for agents not attached (yet): facts still reach the core. */
  readonly sink: AgentSignalSink;
  readonly log: Logger;
  readonly state: (agentId: string) => ClaudeAgentState | undefined;
}

function reply(event: 'PreToolUse' | 'PermissionRequest', verdict: Verdict): HookReply {
  if (verdict.decision === 'ask') return neutralReply();
  return permissionReply(event, verdict.decision, verdict.reason);
}

export async function handleClaudeHook(request: AdapterRouteRequest, abort: AbortSignal, deps: HookRouteDeps): Promise<{ status: number; body: unknown }> {
  const { agent } = request;
  const parsed = parseHookPayload(request.body);
  if (!parsed.ok) {
    deps.log.warn(`hook from ${agent.name} rejected: ${parsed.error}`);
    return { status: 400, body: { error: parsed.error, field: parsed.field } };
  }
  const state = deps.state(agent.id);
  const sink = state?.sink ?? deps.sink;
  const mapped = hookFacts(parsed.payload, state ? state.sessionId : agent.sessionId);
  for (const fact of mapped.facts) {
    if (!state) {
      sink.signal(agent.id, fact);
      continue;
    }
    if (fact.type === 'session' && fact.phase === 'started') state.sessionId = fact.sessionId;
    state.report(fact);
  }
  // Claude Code appends to the transcript around hooks (the last turn lands after Stop): read it now and watch it.
  state?.followTranscript(mapped.transcriptPath);
  // A subagent writes its own transcript (SubagentStop names it): its requests are the agent's too.
  const payload = parsed.payload as { agent_transcript_path?: string };
  if (payload.agent_transcript_path) state?.followTranscript(payload.agent_transcript_path);
  if (!mapped.asks || !mapped.tool) return { status: 200, body: {} };
  // Count the usage of the request that asked for this tool before the gates decide, so a budget crossed by that
  // very request denies its tool call (not a later one, depending on when Claude Code writes its transcript). That
  // waits for the transcript line (~100 ms): only when a budget covers the agent.
  if (sink.budgetBinds?.(agent.id) ?? true) await state?.readTranscripts?.(mapped.tool.toolUseId);
  // PreToolUse: no rule means Claude Code's own permission check (and its PermissionRequest) decides.
  const verdict = await sink.approve(agent.id, mapped.tool, abort, { whenNoGateDecides: mapped.asks === 'PreToolUse' ? 'agent' : 'human' });
  return { status: 200, body: reply(mapped.asks, verdict) };
}
