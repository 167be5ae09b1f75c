// Plays a Claude Code session against the adapter as the real CLI would: hook payloads POSTed to the bridge with the
// agent's token, transcript lines appended to the transcript the hooks name. For the contract kit and adapter tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HOOKS_PATH } from '../../../src/adapters/claudeCode/hookSettings';
import type { ContractAgent } from '../../kit/adapterContract';
import { HOOK_SAMPLES } from './hookSamples';
import type { ClaudeHookEvent } from '../../../src/shared/claudeCode/hookPayloads';

export interface ClaudeSession {
  readonly sessionId: string;
  readonly transcriptPath: string;
  readonly cwd: string;
}

export const assistantLine = (id: string, requestId: string, usage: { input: number; output: number; cacheRead?: number; cacheWrite?: number }, model = 'claude-sonnet-4-5'): string =>
  `${JSON.stringify({
    type: 'assistant',
    requestId,
    message: { id, model, role: 'assistant', content: [{ type: 'text', text: 'ok' }], usage: { input_tokens: usage.input, output_tokens: usage.output, cache_read_input_tokens: usage.cacheRead ?? 0, cache_creation_input_tokens: usage.cacheWrite ?? 0 } },
  })}\n`;

export const interruptLine = (forToolUse = false): string =>
  `${JSON.stringify({ type: 'user', message: { role: 'user', content: [{ type: 'text', text: `[Request interrupted by user${forToolUse ? ' for tool use' : ''}]` }] } })}\n`;

export class ClaudeSessionDriver {
  constructor(
    private readonly bridgeUrl: string,
    readonly session: ClaudeSession,
  ) {}

  static inDir(bridgeUrl: string, dir: string, sessionId = '9058b803-9409-4d80-9ffb-7a80c953f541'): ClaudeSessionDriver {
    return new ClaudeSessionDriver(bridgeUrl, { sessionId, transcriptPath: path.join(dir, 'transcripts', `${sessionId}.jsonl`), cwd: dir });
  }

  async hook(agent: ContractAgent, event: ClaudeHookEvent, patch: Record<string, unknown> = {}): Promise<{ status: number; body: unknown }> {
    const body = { ...HOOK_SAMPLES[event], session_id: this.session.sessionId, transcript_path: this.session.transcriptPath, cwd: this.session.cwd, ...patch };
    const res = await fetch(this.bridgeUrl + HOOKS_PATH, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${agent.token}` }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  }

  write(text: string): void {
    fs.mkdirSync(path.dirname(this.session.transcriptPath), { recursive: true });
    fs.appendFileSync(this.session.transcriptPath, text);
  }

  async playSession(agent: ContractAgent): Promise<void> {
    this.write(''); // Claude Code creates the transcript with the session
    await this.hook(agent, 'SessionStart');
    await this.hook(agent, 'UserPromptSubmit');
    this.write(assistantLine('msg_1', 'req_1', { input: 1200, output: 85, cacheWrite: 300 }));
    await this.hook(agent, 'PreToolUse', { tool_input: { command: 'echo hi > out.txt' } });
    await this.hook(agent, 'PostToolUse');
    this.write(assistantLine('msg_2', 'req_2', { input: 1400, output: 20, cacheRead: 1200 }));
    await this.hook(agent, 'Stop');
    await this.hook(agent, 'SessionEnd');
  }

  async requestApproval(agent: ContractAgent): Promise<'allow' | 'deny' | 'ask'> {
    const { body } = await this.hook(agent, 'PermissionRequest');
    const behavior = (body as { hookSpecificOutput?: { decision?: { behavior?: string } } }).hookSpecificOutput?.decision?.behavior;
    return behavior === 'allow' ? 'allow' : behavior === 'deny' ? 'deny' : 'ask';
  }
}
