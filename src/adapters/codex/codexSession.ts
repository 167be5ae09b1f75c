// One Codex agent as Flotilla follows it: its hook events become facts (and approvals), its rollout file becomes
// exact usage and interrupted turns. Lives in the agent's scope; disposing it stops every watcher and timer.
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import type { AgentSignalSink } from '../../core/agents/agentAdapter';
import type { AgentSignal, ToolAction } from '../../core/agents/agentSignal';
import type { Disposable } from '../../core/events';
import type { Logger } from '../../core/log';
import type { CodexHookPayload, CodexHookReply } from './codexHookPayloads';
import { neutralReply, permissionAllow, permissionDeny, preToolUseDeny } from './codexHookPayloads';
import { RolloutReader } from './rolloutReader';

const MAX_SUMMARY = 160;

function summaryOf(tool: string, input: Record<string, unknown>): string {
  const subject = typeof input.command === 'string' ? input.command : JSON.stringify(input);
  const flat = subject.replace(/\s+/g, ' ').trim();
  const text = `${tool}: ${flat}`;
  return text.length <= MAX_SUMMARY ? text : `${text.slice(0, MAX_SUMMARY - 1)}…`;
}

/** Only a rollout file is followed: the path comes from the agent, so nothing else is ever opened. */
export function isRolloutPath(path: string): boolean {
  return isAbsolute(path) && /^rollout-[\w.:-]+\.jsonl$/.test(basename(path));
}

/** One command of one turn: what a person's allow at PreToolUse covers. */
function commandKey(p: { turn_id?: string; tool_name: string; tool_input: Record<string, unknown> }): string {
  const subject = typeof p.tool_input.command === 'string' ? p.tool_input.command : JSON.stringify(p.tool_input);
  return JSON.stringify([p.turn_id ?? '', p.tool_name, subject]);
}

export interface CodexSessionOptions {
  /** How often the rollout is read when no change notification arrives (default 1000 ms). */
  readonly pollMs?: number;
}

export class CodexSession implements Disposable {
  private reader: RolloutReader | undefined;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Reads run one after another, so facts keep the order of the file. */
  private reading: Promise<void> = Promise.resolve();
  private disposed = false;
  /**
   * Commands a person allowed in Flotilla at PreToolUse, in the current turn. Codex asks PreToolUse first and, for
   * a command that needs more than its sandbox, PermissionRequest next: the same command is not asked twice.
   */
  private readonly allowedByPerson = new Set<string>();

  constructor(
    private readonly agentId: string,
    private readonly sink: AgentSignalSink,
    private readonly log: Logger,
    private readonly options: CodexSessionOptions = {},
  ) {}

  /** Follows a rollout: from its start for a new session, from its end for an agent found again after a reload. */
  follow(path: string, from: 'start' | 'end'): void {
    if (this.disposed || this.reader?.path === path) return;
    if (!isRolloutPath(path)) {
      this.log.warn(`codex agent ${this.agentId}: not following '${path.slice(0, 200)}': not a rollout file`);
      return;
    }
    this.stopWatching();
    const reader = new RolloutReader(path);
    this.reader = reader;
    if (from === 'end') this.reading = this.reading.then(() => reader.skipToEnd()).catch(() => undefined);
    try {
      this.watcher = watch(path, () => void this.flush());
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // Not there yet (Codex writes it at the first turn): the timer reads it once it is.
    }
    this.timer = setInterval(() => void this.flush(), this.options.pollMs ?? 1000);
    this.timer.unref?.();
    void this.flush();
  }

  /** Reads what the rollout gained and reports it; resolves once reported. */
  flush(): Promise<void> {
    const reader = this.reader;
    if (!reader || this.disposed) return this.reading;
    this.reading = this.reading.then(async () => {
      if (this.disposed || reader !== this.reader) return;
      let events;
      try {
        events = await reader.read();
      } catch (err) {
        this.log.warn(`codex agent ${this.agentId}: reading ${reader.path} failed: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      for (const e of events) {
        if (e.type === 'usage') this.report({ type: 'usage', model: e.model, delta: e.delta, requestId: e.responseId });
        else if (e.type === 'failed') this.report({ type: 'turn', phase: 'failed', detail: e.message, ...(e.quota ? { quota: e.quota } : {}) });
        else this.report({ type: 'turn', phase: 'interrupted', detail: e.reason });
      }
    });
    return this.reading;
  }

  async onHook(payload: CodexHookPayload, abort: AbortSignal): Promise<CodexHookReply> {
    if (payload.transcript_path) this.follow(payload.transcript_path, 'start');
    const signal = (fact: AgentSignal): void => this.report(fact);
    switch (payload.hook_event_name) {
      case 'SessionStart':
        signal({
          type: 'session',
          phase: 'started',
          sessionId: payload.session_id,
          ...(payload.transcript_path ? { transcriptPath: payload.transcript_path } : {}),
          ...(payload.source ? { detail: payload.source } : {}),
        });
        return neutralReply();
      case 'UserPromptSubmit':
        this.allowedByPerson.clear();
        signal({ type: 'turn', phase: 'started' });
        return neutralReply();
      case 'PreToolUse': {
        const action = this.actionOf(payload);
        signal({ type: 'tool', phase: 'started', action });
        // Codex's PreToolUse fires for every command, the sandboxed ones Codex runs without asking too: the gates
        // judge it (prohibited -> deny), and a command the policy sends to a person waits for them here;
        // escalations come back as PermissionRequest.
        const verdict = await this.sink.approve(this.agentId, action, abort, { whenNoGateDecides: 'agent' });
        if (verdict.decision === 'allow' && verdict.by === 'user') this.allowedByPerson.add(commandKey(payload));
        if (verdict.decision === 'allow' || (verdict.decision === 'ask' && verdict.by === undefined)) return neutralReply();
        // Denied, or a person was asked and nobody decided (timed out, went stale): Codex has no dialog of its own
        // to fall back on here (its sandbox would just run the command), so it does not run.
        const reason = verdict.decision === 'deny' ? `Denied by Flotilla: ${verdict.reason}` : `Not run: nobody answered in Flotilla (${verdict.reason})`;
        signal({ type: 'tool', phase: 'failed', action, detail: verdict.decision === 'deny' ? `denied: ${verdict.reason}` : `not answered: ${verdict.reason}` });
        return preToolUseDeny(reason);
      }
      case 'PermissionRequest': {
        const action = this.actionOf(payload);
        // Allowed by a person a moment ago at PreToolUse (the policy sent it to them): that answer stands.
        if (this.allowedByPerson.delete(commandKey(payload))) return permissionAllow();
        const verdict = await this.sink.approve(this.agentId, action, abort);
        if (verdict.decision === 'allow') return permissionAllow();
        if (verdict.decision === 'deny') return permissionDeny(`Denied in Flotilla: ${verdict.reason}`);
        // Nobody decided: Codex shows its own dialog in the terminal now.
        signal({ type: 'waiting', for: 'approval', detail: `Codex asks in its terminal: ${action.summary}` });
        return neutralReply();
      }
      case 'PostToolUse':
        signal({ type: 'tool', phase: 'ended', action: this.actionOf(payload) });
        return neutralReply();
      case 'Stop':
        this.allowedByPerson.clear();
        // The last response's tokens are in the rollout by now: report them before the turn ends.
        await this.flush();
        signal({ type: 'turn', phase: 'ended' });
        return neutralReply();
    }
  }

  /** A sink that throws must not cost Codex its hook reply (or the rollout its reader). */
  private report(fact: AgentSignal): void {
    try {
      this.sink.signal(this.agentId, fact);
    } catch (err) {
      this.log.error(`codex agent ${this.agentId}: the sink refused a ${fact.type} fact: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private actionOf(p: { tool_name: string; tool_input: Record<string, unknown>; tool_use_id?: string; cwd: string }): ToolAction {
    return {
      tool: p.tool_name,
      input: p.tool_input,
      summary: summaryOf(p.tool_name, p.tool_input),
      ...(p.tool_use_id !== undefined ? { toolUseId: p.tool_use_id } : {}),
      cwd: p.cwd,
    };
  }

  private stopWatching(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.stopWatching();
  }
}
