// The agents one `flotilla-agent serve` runs: each in a pty (or pipes), in a git worktree when asked, its facts as
// frames in its outbox. Claude Code agents are planned, hooked and watched by the Claude Code adapter itself (the
// same code as in the extension), with the runner's frame sink and the serve process's loopback port for hooks.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { quote } from 'shell-quote';
import type { AgentAdapter, LaunchPlan } from '../core/agents/agentAdapter';
import { DisposableStore, Emitter } from '../core/events';
import type { Event } from '../core/events';
import { createAgentWorktree } from '../core/git/worktrees';
import { emptyUsage } from '../shared/agent';
import type { AgentSnapshot, BudgetLimits, WorktreeInfo } from '../shared/agent';
import type { ControlAction } from '../shared/protocol/control';
import type { RunnerAgent } from '../shared/protocol/runner';
import { AgentOutbox } from './agentOutbox';
import { startAgentProcess } from './agentProcess';
import type { AgentProcess } from './agentProcess';
import { commandProblem } from './commandLookup';
import type { FrameSink } from './frameSink';
import type { RunRequest } from './runRequest';

export interface RunnerAgentsOptions {
  readonly host: string;
  /** Per-agent folders (settings files, worktrees) live under it. */
  readonly stateDir: string;
  /** The serve process's loopback base URL, where hooks are posted. */
  readonly hookBaseUrl: string;
  /** This program, run as Claude Code's command hook for events without http hooks. */
  readonly hookProgram: string;
  /** The Claude Code adapter (or none: every command then runs as a custom agent). */
  readonly claude?: AgentAdapter;
  readonly sink: () => FrameSink;
  readonly log: (line: string) => void;
  readonly maxFramesPerAgent: number;
  readonly pipesOnly?: boolean;
}

/** The disk journal of an agent's outbox past its memory bound. */
export const SPILL_MAX_BYTES = 256 * 1024 * 1024;

/** How long an ended agent's watchers (transcripts) go on. */
export const AFTER_EXIT_MS = 5000;

export class RunnerAgentEntry {
  readonly scope = new DisposableStore();
  process: AgentProcess | undefined;
  running = false;
  /** Why it is being stopped (a stop frame, `flotilla-agent stop`), once asked. */
  stopRequested: string | undefined;

  constructor(
    readonly snapshot: AgentSnapshot,
    readonly token: string,
    readonly outbox: AgentOutbox,
    readonly budget: BudgetLimits | undefined,
  ) {}

  get kind(): 'claude-code' | 'custom' {
    return this.snapshot.kind === 'claude-code' ? 'claude-code' : 'custom';
  }
}

export class RunnerAgents {
  private readonly agents = new Map<string, RunnerAgentEntry>();
  /** Names whose start is under way (a worktree being made): a second start of the same name is refused. */
  private readonly starting = new Set<string>();
  private readonly _onDidChange = new Emitter<void>();
  readonly onDidChange: Event<void> = this._onDidChange.event;

  constructor(private readonly options: RunnerAgentsOptions) {}

  get(id: string): RunnerAgentEntry | undefined {
    return this.agents.get(id);
  }

  byToken(token: string): RunnerAgentEntry | undefined {
    return [...this.agents.values()].find((a) => a.token === token);
  }

  list(): RunnerAgent[] {
    return [...this.agents.values()].map((a) => ({
      id: a.snapshot.id,
      name: a.snapshot.name,
      ...(a.snapshot.group === undefined ? {} : { group: a.snapshot.group }),
      kind: a.kind,
      cwd: a.snapshot.cwd,
      running: a.running,
      unacked: a.outbox.backlog,
      ...(a.budget === undefined ? {} : { budget: a.budget }),
    }));
  }

  async start(request: RunRequest): Promise<RunnerAgentEntry> {
    const existing = this.agents.get(request.name);
    if (existing?.running || this.starting.has(request.name)) throw new Error(`an agent named '${request.name}' is running already`);
    const problem = commandProblem(request.command[0]!, request.cwd, process.env.PATH);
    if (problem) throw new Error(problem);
    this.starting.add(request.name);
    try {
      if (existing) this.forget(existing);
      return await this.launch(request);
    } finally {
      this.starting.delete(request.name);
    }
  }

  private async launch(request: RunRequest): Promise<RunnerAgentEntry> {
    const { options } = this;
    let cwd = request.cwd;
    let worktree: WorktreeInfo | undefined;
    if (request.worktree) {
      const created = await createAgentWorktree({ repoDir: request.cwd, name: request.name, worktreesRoot: path.join(options.stateDir, 'worktrees') });
      if (created.warning) options.log(`agent ${request.name}: ${created.warning}`);
      cwd = created.path;
      worktree = { path: created.path, branch: created.branch, baseCommit: created.baseCommit, repoRoot: created.repoRoot };
    }
    const isClaude = options.claude !== undefined && /(^|\/)claude$/.test(request.command[0] ?? '');
    const now = Date.now();
    const snapshot: AgentSnapshot = {
      id: request.name,
      name: request.name,
      kind: isClaude ? 'claude-code' : 'custom',
      ...(request.group === undefined ? {} : { group: request.group }),
      status: 'starting',
      createdAt: now,
      startedAt: now,
      cwd,
      ...(worktree === undefined ? {} : { worktree }),
      command: request.command.join(' ').slice(0, 4096),
      usage: emptyUsage(),
      usageByModel: {},
      costUsd: 0,
      unpricedModels: [],
      transcriptPaths: [],
      activeMs: 0,
    };
    const token = randomBytes(32).toString('base64url');
    const entry: RunnerAgentEntry = new RunnerAgentEntry(
      snapshot,
      token,
      new AgentOutbox({
        identity: { name: request.name, ...(request.group === undefined ? {} : { group: request.group }), host: options.host },
        maxFrames: options.maxFramesPerAgent,
        // Past the memory bound, frames wait on disk (256 MB at most) rather than being dropped.
        spill: { file: path.join(options.stateDir, 'agents', snapshot.id, 'outbox.jsonl'), maxBytes: SPILL_MAX_BYTES },
        log: options.log,
        onControl: (action, text) => this.control(entry, action, text),
        onBacklogChange: () => this.changedSoon(),
      }),
      request.budget,
    );
    this.agents.set(snapshot.id, entry);
    const stateDir = path.join(options.stateDir, 'agents', snapshot.id);
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const plan = isClaude ? await this.claudePlan(entry, request, stateDir) : customPlan(request, cwd);
    for (const file of plan.files ?? []) writeFileSync(file.path, file.content, { mode: file.mode ?? 0o600 });
    const sink = options.sink();
    (isClaude ? options.claude! : undefined)?.attach(snapshot, sink, entry.scope);
    const child = startAgentProcess({ commandLine: plan.commandLine, cwd: plan.cwd, env: { ...stringEnv(process.env), ...plan.env }, ...(options.pipesOnly ? { pipesOnly: true } : {}) });
    entry.process = child;
    entry.running = true;
    if (child.mode === 'pipes') options.log(`agent ${request.name}: node-pty is not available here, running with pipes (programs that need a terminal see none)`);
    options.log(`agent ${request.name} started (${child.mode}, pid ${child.pid ?? '?'}) in ${cwd}`);
    // Claude Code says itself when a turn starts (its hooks); a custom command works from its start.
    if (!isClaude) sink.signal(snapshot.id, { type: 'turn', phase: 'started', detail: 'started by flotilla-agent run' });
    child.onExit((exitCode, signal) => {
      entry.running = false;
      const why = entry.stopRequested !== undefined ? `stopped: ${entry.stopRequested}` : signal ? `ended by ${signal}` : `exited with code ${exitCode}`;
      options.log(`agent ${request.name}: ${why}`);
      if (entry.stopRequested !== undefined) entry.outbox.push({ type: 'heartbeat', elapsed_ms: 0, status: 'stopped', blockers: [why.slice(0, 512)] });
      else sink.signal(snapshot.id, { type: 'process', phase: 'exited', ...(exitCode === undefined ? {} : { exitCode }), detail: why });
      // Like the extension's scopes, the adapter keeps watching a while after the end: the transcript's last lines
      // (the final turn's usage) are often written as the process exits.
      const linger = setTimeout(() => entry.scope.dispose(), AFTER_EXIT_MS);
      linger.unref();
      this.changed();
    });
    this.changed();
    return entry;
  }

  /** Stops an agent's process (TERM, then KILL after `graceMs`). */
  stop(id: string, why: string, graceMs = 5000): boolean {
    const entry = this.agents.get(id);
    if (!entry?.process || !entry.running) return false;
    entry.stopRequested = why;
    this.options.log(`agent ${id}: stopping (${why})`);
    entry.process.kill('SIGTERM');
    const timer = setTimeout(() => entry.running && entry.process?.kill('SIGKILL'), graceMs);
    timer.unref();
    return true;
  }

  /** Removes an ended agent whose frames were all acked (or on shutdown). */
  forget(entry: RunnerAgentEntry): void {
    entry.outbox.close();
    entry.scope.dispose();
    this.agents.delete(entry.snapshot.id);
    this.changed();
  }

  dispose(): void {
    for (const entry of [...this.agents.values()]) {
      if (entry.running) entry.process?.kill('SIGKILL');
      this.forget(entry);
    }
    this._onDidChange.dispose();
  }

  private control(entry: RunnerAgentEntry, action: ControlAction, text: string | undefined): void {
    const pid = entry.process?.pid;
    switch (action) {
      case 'stop':
        this.stop(entry.snapshot.id, 'a stop frame from Flotilla');
        return;
      case 'pause':
        if (pid !== undefined && entry.running) entry.process!.kill('SIGSTOP');
        entry.outbox.push({ type: 'event', kind: 'agent', name: 'paused', ts: Date.now() });
        return;
      case 'resume':
        if (pid !== undefined && entry.running) entry.process!.kill('SIGCONT');
        entry.outbox.push({ type: 'event', kind: 'agent', name: 'resumed', ts: Date.now() });
        return;
      case 'message':
        if (text !== undefined && entry.running) entry.process!.write(`${text}\r`);
        return;
    }
  }

  private async claudePlan(entry: RunnerAgentEntry, request: RunRequest, stateDir: string): Promise<LaunchPlan> {
    const base = await this.options.claude!.plan!({
      agent: entry.snapshot,
      token: entry.token,
      bridgeUrl: this.options.hookBaseUrl,
      stateDir,
      hookProgram: this.options.hookProgram,
      approvalTimeoutSeconds: 600,
      userEnv: {},
    });
    // The user's own arguments follow the adapter's (`claude --settings <file>` + theirs).
    return { ...base, commandLine: `${quote([request.command[0]!])}${base.commandLine.slice(base.commandLine.indexOf(' '))} ${quote(request.command.slice(1))}`.trimEnd() };
  }

  private changeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Backlog counts change with every frame: tell the index at most every 200 ms. */
  private changedSoon(): void {
    if (this.changeTimer) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      this.changed();
    }, 200);
    this.changeTimer.unref();
  }

  private changed(): void {
    this._onDidChange.fire();
  }
}

function customPlan(request: RunRequest, cwd: string): LaunchPlan {
  return { commandLine: quote([...request.command]), env: {}, cwd };
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
