// Integrated terminals that run local agents: start one per agent, bring it to the front, re-attach the terminals
// VS Code revives after a window reload, and turn a terminal's end into the agent's final status.
import * as vscode from 'vscode';
import type { Fleet } from '../core/fleet/fleet';
import type { Logger } from '../core/log';
import { isEnded } from '../core/statusMachine';
import type { AgentSnapshot } from '../shared/agent';

export interface TerminalLaunch {
  /** The full command line, already quoted for a POSIX shell. */
  readonly commandLine: string;
  readonly env: Record<string, string>;
  readonly cwd: string;
}

export class AgentTerminals implements vscode.Disposable {
  private readonly terminals = new Map<string, vscode.Terminal>();
  private readonly stopping = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly fleet: Fleet,
    private readonly log: Logger,
  ) {
    this.subscriptions.push(
      vscode.window.onDidCloseTerminal((t) => this.onClosed(t)),
      vscode.window.onDidEndTerminalShellExecution((e) => this.onExecutionEnded(e)),
    );
  }

  has(agentId: string): boolean {
    return this.terminals.has(agentId);
  }

  /** Opens a terminal named after the agent in its worktree and types the agent's command into it. */
  start(agent: AgentSnapshot, launch: TerminalLaunch): vscode.Terminal {
    const terminal = vscode.window.createTerminal({
      name: agent.name,
      cwd: launch.cwd,
      env: { ...launch.env, FLOTILLA_AGENT_ID: agent.id },
      iconPath: new vscode.ThemeIcon('robot'),
      isTransient: false,
    });
    this.terminals.set(agent.id, terminal);
    // sendText waits for the shell to be ready; the user keeps the shell after the agent exits to read its output.
    terminal.sendText(launch.commandLine, true);
    void terminal.processId.then((pid) => {
      if (pid !== undefined) this.fleet.update(agent.id, { terminalPid: pid });
    });
    return terminal;
  }

  focus(agentId: string): boolean {
    const terminal = this.terminals.get(agentId);
    if (!terminal) return false;
    terminal.show(false);
    return true;
  }

  /** Closes the agent's terminal, which ends its process (the shell gets SIGHUP). */
  stop(agentId: string): void {
    const terminal = this.terminals.get(agentId);
    if (!terminal) return;
    this.stopping.add(agentId);
    terminal.dispose();
  }

  /**
   * After a reload: match the terminals VS Code revived to the agents that owned them (by process id, then name);
   * live agents left without a terminal are marked disconnected, with the reason.
   */
  async reattach(): Promise<void> {
    const byPid = new Map<number, vscode.Terminal>();
    for (const terminal of vscode.window.terminals) {
      const pid = await terminal.processId;
      if (pid !== undefined) byPid.set(pid, terminal);
    }
    for (const agent of this.fleet.list()) {
      if (agent.kind === 'remote' || isEnded(agent.status)) continue;
      const terminal =
        (agent.terminalPid !== undefined ? byPid.get(agent.terminalPid) : undefined) ??
        vscode.window.terminals.find((t) => t.name === agent.name);
      if (terminal) {
        this.terminals.set(agent.id, terminal);
        this.log.info(`re-attached agent ${agent.name} to its terminal`);
      } else {
        this.fleet.apply(agent.id, 'connectionLost', { statusReason: 'Its terminal is gone (closed while VS Code was not watching).' });
      }
    }
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
  }

  private agentOf(terminal: vscode.Terminal): string | undefined {
    for (const [id, t] of this.terminals) if (t === terminal) return id;
    return undefined;
  }

  private onExecutionEnded(e: vscode.TerminalShellExecutionEndEvent): void {
    const agentId = this.agentOf(e.terminal);
    if (!agentId) return;
    const agent = this.fleet.get(agentId);
    if (!agent?.command || isEnded(agent.status)) return;
    // Only the agent's own command ends the agent, not something the user typed afterwards.
    if (!e.execution.commandLine.value.includes(agent.command)) return;
    this.finish(agentId, e.exitCode);
  }

  private onClosed(terminal: vscode.Terminal): void {
    const agentId = this.agentOf(terminal);
    if (!agentId) return;
    this.terminals.delete(agentId);
    const agent = this.fleet.get(agentId);
    if (!agent || isEnded(agent.status)) return;
    if (this.stopping.delete(agentId)) {
      this.fleet.apply(agentId, 'stopRequested', { statusReason: 'Stopped from Flotilla.' });
    } else {
      this.fleet.apply(agentId, 'stopRequested', { statusReason: 'Its terminal was closed.' });
    }
  }

  private finish(agentId: string, exitCode: number | undefined): void {
    if (exitCode === 0 || exitCode === undefined) {
      this.fleet.apply(agentId, 'completed', { exitCode, statusReason: exitCode === undefined ? 'The agent exited.' : undefined });
    } else {
      this.fleet.apply(agentId, 'errored', { exitCode, statusReason: `The agent exited with code ${exitCode}.` });
    }
  }
}
