// Starts local agents: checks the slot budget, creates the git worktree, registers the agent, writes Claude Code's
// per-session hook settings, and opens the agent's terminal with its environment set.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { quote } from 'shell-quote';
import type { Fleet } from '../core/fleet/fleet';
import type { Logger } from '../core/log';
import { agentEnvironment } from '../core/agentEnv';
import { isEnded } from '../core/statusMachine';
import { createAgentWorktree } from '../core/git/worktrees';
import { buildHookSettings } from '../adapters/claudeCode/hookSettings';
import type { AgentSnapshot } from '../shared/agent';
import type { AgentTerminals } from './agentTerminals';
import type { NewAgentRequest } from './newAgentFlow';
import { readSettings } from './settings';

export interface LauncherOptions {
  readonly bridgeUrl: () => string;
  readonly storageDir: string;
  /** The bundled command-hook program, for Claude Code versions without http hooks. */
  readonly hookProgram: string;
  readonly log: Logger;
}

export class AgentLauncher {
  constructor(
    private readonly fleet: Fleet,
    private readonly terminals: AgentTerminals,
    private readonly options: LauncherOptions,
  ) {}

  async launch(request: NewAgentRequest, workspaceDir: string): Promise<AgentSnapshot> {
    const settings = readSettings();
    const running = this.fleet.list().filter((a) => a.kind !== 'remote' && !isEnded(a.status)).length;
    if (running >= settings.maxConcurrentAgents) {
      throw new Error(`${running} agents are running and the slot budget (flotilla.maxConcurrentAgents) is ${settings.maxConcurrentAgents}: stop one or raise the setting`);
    }
    if (this.fleet.isNameTaken(request.name)) throw new Error(`an agent named '${request.name}' exists already`);

    let cwd = workspaceDir;
    let worktree: AgentSnapshot['worktree'];
    if (request.where === 'worktree') {
      const created = await createAgentWorktree({
        repoDir: workspaceDir,
        name: request.name,
        worktreesRoot: settings.worktreesRoot || path.join(path.dirname(workspaceDir), '.flotilla-worktrees'),
      });
      if (created.warning) void vscode.window.showWarningMessage(`${request.name}: ${created.warning}`);
      worktree = { path: created.path, branch: created.branch, baseCommit: created.baseCommit, repoRoot: created.repoRoot };
      cwd = created.path;
    }

    const { agent, token } = this.fleet.create({ name: request.name, kind: request.kind, cwd, worktree, prompt: request.prompt, budget: request.budget });
    const flotillaEnv: Record<string, string> = {
      FLOTILLA_AGENT_ID: agent.id,
      FLOTILLA_AGENT_TOKEN: token,
      FLOTILLA_BRIDGE_URL: this.options.bridgeUrl(),
    };
    let env = flotillaEnv;
    let commandLine: string;
    if (request.kind === 'claude-code') {
      const dir = path.join(this.options.storageDir, 'agents', agent.id);
      fs.mkdirSync(dir, { recursive: true });
      const settingsFile = path.join(dir, 'claude-settings.json');
      fs.writeFileSync(settingsFile, JSON.stringify(buildHookSettings({
          bridgeUrl: this.options.bridgeUrl(),
          timeoutSeconds: settings.approvalTimeoutSeconds + 30,
          hookProgram: { script: this.options.hookProgram },
        }), null, 2));
      commandLine = quote([settings.claudeCodePath, '--settings', settingsFile, ...(request.prompt ? [request.prompt] : [])]);
      const composed = agentEnvironment(settings.claudeCodeEnv, flotillaEnv);
      for (const dropped of composed.dropped) this.options.log.warn(`flotilla.claudeCode.env: left out ${dropped}`);
      env = composed.env;
    } else if (request.kind === 'codex') {
      commandLine = quote(['codex', ...(request.prompt ? [request.prompt] : [])]);
    } else {
      commandLine = request.command ?? '';
    }
    this.fleet.update(agent.id, { command: commandLine });
    this.terminals.start(this.fleet.get(agent.id)!, { commandLine, env, cwd });
    // Agents without hooks report nothing: they count as working until their command ends.
    if (request.kind !== 'claude-code') this.fleet.apply(agent.id, 'activity');
    this.options.log.info(`started ${request.kind} agent ${agent.name} in ${cwd}`);
    return this.fleet.get(agent.id)!;
  }

  async showRemoteConnection(): Promise<void> {
    const name = await vscode.window.showInputBox({
      title: 'Connect Remote Agent',
      prompt: 'A name for the remote agent',
      value: this.fleet.suggestName('remote'),
      validateInput: (v) => (this.fleet.isNameTaken(v.trim()) ? `An agent named '${v.trim()}' exists already` : v.trim() ? undefined : 'Enter a name'),
    });
    if (!name) return;
    const { agent, token } = this.fleet.create({ name: name.trim(), kind: 'remote', cwd: '' });
    const url = `${this.options.bridgeUrl().replace(/^http/, 'ws')}/v1/agents`;
    const details = `FLOTILLA_URL=${url}\nFLOTILLA_AGENT_ID=${agent.id}\nFLOTILLA_TOKEN=${token}`;
    await vscode.env.clipboard.writeText(details);
    void vscode.window.showInformationMessage(
      `${agent.name} is registered. Its connection details (URL, agent id, token) are on the clipboard; the token is shown only once. ` +
        'The bridge listens on 127.0.0.1: reach it from another machine through an SSH tunnel (ssh -R). See docs/protocol.md.',
    );
  }
}
