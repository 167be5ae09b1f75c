// The Codex adapter through the shared contract suite: a Codex session replayed as the real CLI (0.171.0) produces
// it — hook payloads POSTed by the hook program to /hooks/codex with the agent's token, and rollout lines appended
// to the file their transcript_path names. The real CLI itself runs in realCodex.test.ts.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CodexAdapter } from '../../../src/adapters/codex/codexAdapter';
import { CODEX_HOOKS_PATH } from '../../../src/adapters/codex/codexHookConfig';
import { adapterContract } from '../../kit/adapterContract';
import type { ContractAgent, ContractContext } from '../../kit/adapterContract';

let sessions = 0;

function codexSession(ctx: ContractContext) {
  const post = async (a: ContractAgent, body: Record<string, unknown>): Promise<unknown> => {
    const res = await fetch(ctx.bridgeUrl + CODEX_HOOKS_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    // The hook program treats any failure as "no reply": Codex then decides alone.
    return res.ok ? (JSON.parse(text) as unknown) : {};
  };
  const common = (a: ContractAgent, rollout: string, sessionId: string) => ({
    session_id: sessionId,
    transcript_path: rollout,
    cwd: a.agent.cwd,
    model: 'gpt-5-codex',
    permission_mode: 'default',
    turn_id: `turn-${sessionId}`,
  });
  const newRollout = (): { rollout: string; sessionId: string } => {
    const n = ++sessions;
    const dir = join(ctx.dir, 'codex-home', 'sessions', '2026', '11', '30');
    mkdirSync(dir, { recursive: true });
    const sessionId = `01a22a89-0000-7000-8000-${String(n).padStart(12, '0')}`;
    return { rollout: join(dir, `rollout-2026-11-30T03-40-16-${sessionId}.jsonl`), sessionId };
  };
  const line = (type: string, payload: unknown): string => `${JSON.stringify({ timestamp: new Date().toISOString(), type, payload })}\n`;
  const usage = { input_tokens: 1200, cached_input_tokens: 200, cache_write_input_tokens: 0, output_tokens: 40, reasoning_output_tokens: 8, total_tokens: 1240 };

  return {
    async playSession(a: ContractAgent): Promise<void> {
      const { rollout, sessionId } = newRollout();
      const base = common(a, rollout, sessionId);
      appendFileSync(rollout, line('session_meta', { id: sessionId, cwd: a.agent.cwd, originator: 'codex-tui', cli_version: '0.171.0' }));
      await post(a, { ...base, hook_event_name: 'SessionStart', source: 'startup' });
      await post(a, { ...base, hook_event_name: 'UserPromptSubmit', prompt: 'please run the command' });
      appendFileSync(rollout, line('turn_context', { turn_id: base.turn_id, model: 'gpt-5-codex' }));
      appendFileSync(rollout, line('token_usage_record', { response_id: `resp_${sessionId}_1`, usage }));
      const tool = { tool_name: 'Bash', tool_input: { command: 'echo hi > out.txt' }, tool_use_id: 'call_1' };
      await post(a, { ...base, hook_event_name: 'PreToolUse', ...tool });
      await post(a, { ...base, hook_event_name: 'PostToolUse', ...tool, tool_response: '' });
      appendFileSync(rollout, line('token_usage_record', { response_id: `resp_${sessionId}_2`, usage }));
      await post(a, { ...base, hook_event_name: 'Stop', stop_hook_active: false, last_assistant_message: 'Done.' });
    },
    async requestApproval(a: ContractAgent): Promise<'allow' | 'deny' | 'ask'> {
      const { rollout, sessionId } = newRollout();
      const reply = (await post(a, {
        ...common(a, rollout, sessionId),
        hook_event_name: 'PermissionRequest',
        tool_name: 'Bash',
        tool_input: { command: 'echo escalated > ../outside.txt', description: 'Allow writing outside the workspace?' },
      })) as { hookSpecificOutput?: { decision?: { behavior?: string } } };
      const behavior = reply.hookSpecificOutput?.decision?.behavior;
      return behavior === 'allow' || behavior === 'deny' ? behavior : 'ask';
    },
  };
}

adapterContract('Codex', (ctx) => ({
  adapter: new CodexAdapter({ pollMs: 100 }),
  driver: codexSession(ctx),
  // Codex has no SessionEnd hook: its session ends when the terminal host reports the process exit.
  expectSession: false,
}));
