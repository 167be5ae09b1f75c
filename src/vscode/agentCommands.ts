// The everyday agent commands beyond the basics, each usable from the palette (agent picker) and from a row's
// context menu: Stop All, Go to Agent…, Restart, Send Prompt…, Rename, Reveal Worktree, Open Worktree in New Window,
// Copy Branch Name, Set Credentials…. Also the one Stop used by Stop, Stop All and Remove.
import * as vscode from 'vscode';
import { isEnded } from '../core/statusMachine';
import type { AgentSnapshot } from '../shared/agent';
import type { AgentControl } from '../core/agents/agentAdapter';
import type { CommandServices } from './commands';
import { agentsFor } from './agentPicker';
import { restartName, validateRename } from './agentNames';
import { AgentCommands } from './ids';
import { setCredentials } from './credentialsUi';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Stops one agent: the user's decision first (so the exit that follows is not a failure), then its process. */
export async function stopAgent(s: CommandServices, agent: AgentSnapshot, why = 'Stopped from Flotilla.'): Promise<void> {
  if (isEnded(agent.status)) return;
  s.approvals.invalidate((r) => r.agentId === agent.id, `${agent.name} was stopped`);
  s.fleet.apply(agent.id, 'stopRequested', { statusReason: why });
  if (s.terminals.has(agent.id)) await s.terminals.stop(agent.id, why);
  else await s.remoteControl?.stop(agent.id, why);
}

/** The control that reaches an agent: its terminal here, else its remote connection. */
function controlOf(s: CommandServices, agent: AgentSnapshot): AgentControl | undefined {
  return s.terminals.has(agent.id) ? s.terminals : s.remoteControl;
}

export function registerAgentCommands(s: CommandServices): vscode.Disposable {
  const handlers: Record<(typeof AgentCommands)[keyof typeof AgentCommands], (...args: unknown[]) => unknown> = {
    // From the palette it asks first; a caller that already asked (another extension, a test) passes { confirmed: true }.
    [AgentCommands.stopAll]: async (options?: unknown) => {
      const live = s.fleet.list().filter((a) => !isEnded(a.status));
      if (live.length === 0) {
        void vscode.window.showInformationMessage('No agent is running.');
        return 0;
      }
      const names = live.map((a) => a.name).join(', ');
      const confirmed = typeof options === 'object' && options !== null && (options as { confirmed?: unknown }).confirmed === true;
      const ok = confirmed ? 'Stop All' : await vscode.window.showWarningMessage(`Stop all ${live.length} running agent${live.length === 1 ? '' : 's'}?`, { modal: true, detail: names }, 'Stop All');
      if (ok !== 'Stop All') return 0;
      await Promise.all(live.map((a) => stopAgent(s, a, 'Stopped from Flotilla (Stop All).')));
      return live.length;
    },
    [AgentCommands.goToAgent]: async (...args) => {
      const [agent] = await agentsFor(s.fleet, args, { filter: 'any', many: false, verb: 'go to' });
      if (!agent) return;
      await s.agentsView.reveal(s.agentsTree.element(agent), { select: true, focus: !s.terminals.has(agent.id), expand: true });
      s.terminals.focus(agent.id);
    },
    [AgentCommands.restartAgent]: async (...args) => {
      const [agent] = await agentsFor(s.fleet, args, { filter: 'any', many: false, verb: 'restart' });
      if (!agent) return undefined;
      if (agent.kind === 'remote') {
        void vscode.window.showInformationMessage(`${agent.name} runs elsewhere: restart it on its machine.`);
        return undefined;
      }
      // Same kind, task and folder (its worktree is reused); a new row, so the old one keeps its history and cost.
      await stopAgent(s, agent, 'Stopped from Flotilla (Restart).');
      const name = restartName(agent.name, (n) => s.fleet.isNameTaken(n));
      try {
        const started = await s.launcher.launch({ kind: agent.kind, name, prompt: agent.prompt, where: 'workspace', command: agent.command, budget: agent.budget, group: agent.group, restartOf: agent.id }, agent.cwd);
        if (agent.worktree) s.fleet.update(started.id, { worktree: agent.worktree });
        if (agent.group) s.fleet.update(started.id, { group: agent.group });
        return s.fleet.get(started.id);
      } catch (err) {
        void vscode.window.showErrorMessage(`Could not restart ${agent.name}: ${message(err)}`);
        return undefined;
      }
    },
    [AgentCommands.sendPrompt]: async (...args) => {
      const agents = await agentsFor(s.fleet, args, { filter: 'live', many: true, verb: 'send a prompt to' });
      if (agents.length === 0) return 0;
      const text = typeof args[2] === 'string' ? args[2] : await vscode.window.showInputBox({
        title: `Send Prompt to ${agents.map((a) => a.name).join(', ')}`,
        prompt: 'Typed into the agent as if you wrote it in its terminal',
        validateInput: (v) => (v.trim() ? undefined : 'Enter a prompt'),
      });
      if (!text?.trim()) return 0;
      let sent = 0;
      for (const agent of agents) {
        const control = controlOf(s, agent);
        try {
          if (!control?.message) throw new Error('it cannot receive messages from here');
          await control.message(agent.id, text);
          sent++;
        } catch (err) {
          void vscode.window.showErrorMessage(`Could not send the prompt to ${agent.name}: ${message(err)}`);
        }
      }
      return sent;
    },
    [AgentCommands.renameAgent]: async (...args) => {
      const [agent] = await agentsFor(s.fleet, args, { filter: 'any', many: false, verb: 'rename' });
      if (!agent) return undefined;
      const check = (v: string) => validateRename(v, agent.name, (n) => s.fleet.isNameTaken(n));
      const name = typeof args[2] === 'string' ? args[2] : await vscode.window.showInputBox({ title: `Rename ${agent.name}`, value: agent.name, validateInput: check });
      if (name === undefined || check(name) !== undefined) return undefined;
      s.fleet.update(agent.id, { name: name.trim() });
      return name.trim();
    },
    [AgentCommands.revealWorktree]: async (...args) => {
      const [agent] = await agentsFor(s.fleet, args, { filter: 'worktree', many: false, verb: 'reveal' });
      if (!agent?.worktree) return;
      const uri = vscode.Uri.file(agent.worktree.path);
      // A browser window (code-server) has no OS file manager: the Explorer shows the folder when it is in the workspace.
      if (vscode.env.uiKind === vscode.UIKind.Web) await vscode.commands.executeCommand('revealInExplorer', uri);
      else await vscode.commands.executeCommand('revealFileInOS', uri);
    },
    [AgentCommands.openWorktreeInNewWindow]: async (...args) => {
      const [agent] = await agentsFor(s.fleet, args, { filter: 'worktree', many: false, verb: 'open' });
      if (!agent?.worktree) return;
      await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(agent.worktree.path), { forceNewWindow: true });
    },
    [AgentCommands.copyBranchName]: async (...args) => {
      const [agent] = await agentsFor(s.fleet, args, { filter: 'worktree', many: false, verb: 'copy the branch of' });
      if (!agent?.worktree) return undefined;
      await vscode.env.clipboard.writeText(agent.worktree.branch);
      vscode.window.setStatusBarMessage(`Copied ${agent.worktree.branch}`, 3000);
      return agent.worktree.branch;
    },
    [AgentCommands.setCredentials]: async (...args) => {
      if (!s.credentials) {
        void vscode.window.showErrorMessage('Credentials are not available in this window.');
        return undefined;
      }
      return setCredentials(s.credentials, s.fleet, args);
    },
  };
  return vscode.Disposable.from(...Object.entries(handlers).map(([id, fn]) => vscode.commands.registerCommand(id, fn)));
}
