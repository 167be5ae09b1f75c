// The terminal host of local agents: one integrated terminal per agent, the AgentControl for them (stop, message),
// and the facts only a terminal knows (the agent's process exited, it shows a prompt only the user can answer).
// It decides no status: facts go to the sink, and the core turns them into statuses.
// After a window reload it finds the terminals VS Code revived (see reattach) and leaves the agents' status alone.
import * as vscode from 'vscode';
import type { AgentControl, AgentSignalSink } from '../core/agents/agentAdapter';
import type { Fleet } from '../core/fleet/fleet';
import type { Logger } from '../core/log';
import { isEnded } from '../core/statusMachine';
import type { AgentSnapshot } from '../shared/agent';
import { TerminalPromptWatch } from './terminalPromptWatch';
import type { TerminalPrompt } from './terminalPromptWatch';

export interface TerminalLaunch {
  /** The full command line, already quoted for a POSIX shell. */
  readonly commandLine: string;
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Output that means the agent waits for the user in its terminal (LaunchPlan.terminalPrompts). */
  readonly terminalPrompts?: readonly TerminalPrompt[];
}

export interface AgentTerminalsOptions {
  readonly fleet: Fleet;
  readonly facts: Pick<AgentSignalSink, 'signal'>;
  readonly log: Logger;
  /** Agents that run in a terminal of this machine (not remote ones). */
  readonly isLocal: (agent: AgentSnapshot) => boolean;
  /** How long Stop waits after Ctrl-C for the agent's command to end before it closes the terminal. */
  readonly stopGraceMs?: number;
  /** How long after activation a revived terminal may still show up before its agent counts as gone. */
  readonly reviveGraceMs?: number;
}

/** Ctrl-C twice: Claude Code interrupts its turn on the first and exits on the second; other programs exit on the first. */
const INTERRUPT = '\u0003';

export class AgentTerminals implements AgentControl, vscode.Disposable {
  private readonly terminals = new Map<string, vscode.Terminal>();
  /** Terminal prompts per agent, from its launch plan (lost on reload: a plan is not stored). */
  private readonly prompts = new Map<string, readonly TerminalPrompt[]>();
  /** Agents whose command ended while Stop waits to close the terminal. */
  private readonly ended = new Map<string, () => void>();
  private readonly _onDidChangeTerminals = new vscode.EventEmitter<string>();
  /** Fires with the agent id when an agent gains or loses its terminal (rows show Stop / Focus Terminal by it). */
  readonly onDidChangeTerminals = this._onDidChangeTerminals.event;
  private readonly subscriptions: vscode.Disposable[] = [this._onDidChangeTerminals];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private disposed = false;

  constructor(private readonly o: AgentTerminalsOptions) {
    this.subscriptions.push(
      vscode.window.onDidCloseTerminal((t) => this.onClosed(t)),
      vscode.window.onDidStartTerminalShellExecution((e) => this.onExecutionStarted(e)),
      vscode.window.onDidEndTerminalShellExecution((e) => this.onExecutionEnded(e)),
    );
  }

  has(agentId: string): boolean {
    return this.terminals.has(agentId);
  }

  /** Opens a terminal named after the agent in its folder and types the agent's command into it. */
  start(agent: AgentSnapshot, launch: TerminalLaunch): vscode.Terminal {
    const terminal = vscode.window.createTerminal({
      name: agent.name,
      cwd: launch.cwd,
      env: { ...launch.env, FLOTILLA_AGENT_ID: agent.id },
      iconPath: new vscode.ThemeIcon('robot'),
      isTransient: false,
    });
    this.setTerminal(agent.id, terminal);
    if (launch.terminalPrompts?.length) this.prompts.set(agent.id, launch.terminalPrompts);
    // sendText waits for the shell to be ready; the user keeps the shell after the agent exits to read its output.
    terminal.sendText(launch.commandLine, true);
    void terminal.processId.then((pid) => {
      if (pid !== undefined) this.o.fleet.update(agent.id, { terminalPid: pid });
    });
    return terminal;
  }

  focus(agentId: string): boolean {
    const terminal = this.terminals.get(agentId);
    if (!terminal) return false;
    terminal.show(false);
    return true;
  }

  /**
   * Ctrl-C first, so the agent ends its session itself (Claude Code runs its SessionEnd hook and flushes its
   * transcript; a running tool gets SIGINT with the foreground job), then the terminal is closed once the command
   * ended or after a grace period (an agent that ignores Ctrl-C, a terminal without shell integration): closing
   * sends SIGHUP to the shell and its jobs, which ends whatever is left.
   */
  async stop(agentId: string, why: string): Promise<void> {
    const terminal = this.terminals.get(agentId);
    if (!terminal) return;
    this.o.log.info(`stopping ${this.o.fleet.get(agentId)?.name ?? agentId}: ${why}`);
    terminal.sendText(INTERRUPT, false);
    await this.delay(300);
    terminal.sendText(INTERRUPT, false);
    await new Promise<void>((resolve) => {
      this.ended.set(agentId, resolve);
      this.delay(this.o.stopGraceMs ?? 3000).then(resolve, resolve);
    });
    this.ended.delete(agentId);
    if (this.terminals.get(agentId) === terminal) terminal.dispose();
  }

  async message(agentId: string, text: string): Promise<void> {
    const terminal = this.terminals.get(agentId);
    if (!terminal) throw new Error('the agent has no terminal in this window');
    // Claude Code's prompt takes a burst of input as a paste, in which a newline is text, not Enter: submit apart.
    terminal.sendText(text, false);
    await this.delay(200);
    terminal.sendText('\r', false);
  }

  /**
   * After a window reload: match the terminals VS Code revived to the agents that owned them. The shell survives a
   * reload in the pty host, so its process id is the one stored at start; a terminal that only matches by name was
   * revived as a new process (window closed, then reopened), so the agent's process is gone. Terminals can be
   * revived after activation, so agents still unmatched after a grace period are reported gone.
   */
  async reattach(): Promise<void> {
    const pending = new Map(
      this.o.fleet
        .list()
        .filter((a) => this.o.isLocal(a) && !isEnded(a.status) && !this.terminals.has(a.id))
        .map((a) => [a.id, a]),
    );
    if (pending.size === 0) return;
    const tryMatch = async (terminal: vscode.Terminal): Promise<void> => {
      if ([...this.terminals.values()].includes(terminal)) return;
      const pid = await withTimeout(terminal.processId, 5000);
      const envId = (terminal.creationOptions as vscode.TerminalOptions).env?.FLOTILLA_AGENT_ID ?? undefined;
      for (const agent of pending.values()) {
        const how = envId === agent.id ? 'id' : pid !== undefined && pid === agent.terminalPid ? 'process id' : terminal.name === agent.name ? 'name' : undefined;
        if (!how) continue;
        pending.delete(agent.id);
        this.setTerminal(agent.id, terminal);
        const sameProcess = how !== 'name' || agent.terminalPid === undefined || pid === agent.terminalPid;
        this.o.log.info(`re-attached agent ${agent.name} to its terminal (matched by ${how}, pid ${pid ?? 'unknown'}, was ${agent.terminalPid ?? 'unknown'})`);
        if (!sameProcess) {
          this.o.fleet.update(agent.id, { terminalPid: pid });
          this.o.facts.signal(agent.id, { type: 'process', phase: 'exited', detail: 'Its terminal was restored without the agent: the process ended when the window closed.' });
        }
        return;
      }
    };
    const opened = vscode.window.onDidOpenTerminal((t) => void tryMatch(t));
    await Promise.all(vscode.window.terminals.map(tryMatch));
    if (pending.size === 0) {
      opened.dispose();
      return;
    }
    this.subscriptions.push(opened);
    void this.delay(this.o.reviveGraceMs ?? 20_000).then(() => {
      opened.dispose();
      if (this.disposed) return;
      for (const agent of pending.values()) {
        if (this.terminals.has(agent.id) || isEnded(this.o.fleet.get(agent.id)?.status ?? 'stopped')) continue;
        this.o.log.warn(`agent ${agent.name}: no terminal came back after the reload`);
        this.o.facts.signal(agent.id, { type: 'process', phase: 'exited', detail: 'Its terminal is gone (closed while VS Code was not watching).' });
      }
    });
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.subscriptions.forEach((d) => d.dispose());
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private setTerminal(agentId: string, terminal: vscode.Terminal): void {
    this.terminals.set(agentId, terminal);
    this._onDidChangeTerminals.fire(agentId);
  }

  /** A notification the user can act on: the agent is blocked until they answer in its terminal. */
  private notifyPrompt(agent: AgentSnapshot, reason: string): void {
    void vscode.window.showWarningMessage(`${agent.name} needs you in the terminal: ${reason}`, 'Show Terminal').then((choice) => {
      if (choice) this.focus(agent.id);
    });
  }

  private agentOf(terminal: vscode.Terminal): string | undefined {
    for (const [id, t] of this.terminals) if (t === terminal) return id;
    return undefined;
  }

  /** The agent whose own command this execution is (not something the user typed in its shell afterwards). */
  private agentCommand(terminal: vscode.Terminal, execution: vscode.TerminalShellExecution): AgentSnapshot | undefined {
    const agentId = this.agentOf(terminal);
    const agent = agentId === undefined ? undefined : this.o.fleet.get(agentId);
    if (!agent?.command || isEnded(agent.status)) return undefined;
    return execution.commandLine.value.includes(agent.command) ? agent : undefined;
  }

  private onExecutionStarted(e: vscode.TerminalShellExecutionStartEvent): void {
    const agent = this.agentCommand(e.terminal, e.execution);
    const prompts = agent && this.prompts.get(agent.id);
    if (!agent || !prompts) return;
    // read() must be called right away: it yields only what is written after the first call.
    const stream = e.execution.read();
    void this.watchPrompts(agent.id, stream, new TerminalPromptWatch(prompts));
  }

  private async watchPrompts(agentId: string, stream: AsyncIterable<string>, watch: TerminalPromptWatch): Promise<void> {
    try {
      for await (const chunk of stream) {
        if (this.disposed) return;
        for (const reason of watch.feed(chunk)) {
          const agent = this.o.fleet.get(agentId);
          if (!agent || isEnded(agent.status)) return;
          this.o.log.info(`agent ${agent.name} waits in its terminal: ${reason}`);
          this.o.facts.signal(agentId, { type: 'waiting', for: 'terminal', detail: reason });
          this.notifyPrompt(agent, reason);
        }
      }
    } catch (err) {
      this.o.log.warn(`reading the terminal of agent ${agentId} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private onExecutionEnded(e: vscode.TerminalShellExecutionEndEvent): void {
    const agent = this.agentCommand(e.terminal, e.execution);
    if (!agent) return;
    this.ended.get(agent.id)?.();
    this.o.facts.signal(agent.id, {
      type: 'process',
      phase: 'exited',
      exitCode: e.exitCode,
      detail: e.exitCode === undefined ? 'The agent exited.' : e.exitCode === 0 ? undefined : `The agent exited with code ${e.exitCode}.`,
    });
  }

  private onClosed(terminal: vscode.Terminal): void {
    const agentId = this.agentOf(terminal);
    if (!agentId) return;
    this.terminals.delete(agentId);
    this._onDidChangeTerminals.fire(agentId);
    this.ended.get(agentId)?.();
    // The window is closing or reloading: the pty host keeps the shell (and the agent) alive and VS Code revives the
    // terminal in the next window. Recording anything here would mark a running agent ended (the reload bug).
    if (this.disposed || terminal.exitStatus?.reason === vscode.TerminalExitReason.Shutdown) {
      this.o.log.info(`window shutting down: agent ${this.o.fleet.get(agentId)?.name ?? agentId} keeps running in its terminal`);
      return;
    }
    const agent = this.o.fleet.get(agentId);
    if (!agent || isEnded(agent.status)) return;
    this.o.facts.signal(agentId, { type: 'process', phase: 'exited', detail: 'Its terminal was closed.' });
  }
}

function withTimeout<T>(promise: Thenable<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}
