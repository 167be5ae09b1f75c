// Starts local agents of any kind: checks the slot budget, creates the git worktree, registers the agent, asks the
// kind's adapter for a launch plan (registry.get(kind).plan), writes the plan's files and opens the agent's terminal.
// What a kind needs (settings files, hooks, flags) lives in its adapter; nothing here depends on the kind.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentRegistry } from '../core/agents/agentRegistry';
import type { LaunchPlan } from '../core/agents/agentAdapter';
import type { Fleet } from '../core/fleet/fleet';
import type { Logger } from '../core/log';
import { createAgentWorktree } from '../core/git/worktrees';
import { reissueRemoteConnection } from '../adapters/remote/connectionDetails';
import type { AgentSnapshot } from '../shared/agent';
import type { AgentTerminals } from './agentTerminals';
import type { NewAgentRequest } from './newAgentFlow';
import { readSettings } from './settings';
import type { FlotillaSettings } from './settings';
import { checkSlot } from '../core/budget/slotBudget';

export interface LauncherOptions {
  readonly bridgeUrl: () => string;
  readonly storageDir: string;
  /** The bundled command-hook program, for agents whose hooks run a program. */
  readonly hookProgram: string;
  readonly log: Logger;
  /** The adapters: each kind's launch plan, and what New Agent offers. */
  readonly registry: AgentRegistry;
  /** Credentials from SecretStorage for this agent (name -> value): put in its environment, over the settings' env. */
  readonly credentialEnv?: (agent: AgentSnapshot, request: NewAgentRequest) => Promise<Record<string, string>>;
}

/** One entry of New Agent's first step. */
export interface LaunchChoice {
  readonly kind: NewAgentRequest['kind'];
  readonly label: string;
  readonly detail: string;
  /** The user types the command line (a custom command); otherwise a first prompt is asked. */
  readonly needsCommand: boolean;
}

/** Extra environment the user configured, per kind (a table of settings, not behaviour). */
const userEnvOf = (settings: FlotillaSettings): Partial<Record<AgentSnapshot['kind'], Record<string, string>>> => ({ 'claude-code': settings.claudeCodeEnv });

export class AgentLauncher {
  constructor(
    private readonly fleet: Fleet,
    private readonly terminals: AgentTerminals,
    private readonly options: LauncherOptions,
  ) {}

  /** What New Agent offers: the kinds the registry can launch here. */
  launchChoices(): LaunchChoice[] {
    return this.options.registry.launchable().map((a) => ({
      kind: a.kind as NewAgentRequest['kind'],
      label: a.label,
      detail: a.capabilities.blockingApprovals
        ? `Status, approvals${a.capabilities.usage === 'exact' ? ', tokens and cost' : ''}`
        : 'Basic supervision: running, exit code, elapsed time',
      // The contract's LaunchSpec.command: a kind that runs a command line the user gives.
      needsCommand: a.capabilities.commandLine === true,
    }));
  }

  /** Whether an agent takes a local slot: it runs on this machine (its kind's adapter says so). */
  isLocal(agent: AgentSnapshot): boolean {
    const adapter = this.options.registry.get(agent.kind);
    if (adapter) return adapter.capabilities.location === 'local';
    return agent.command !== undefined || agent.terminalPid !== undefined;
  }

  async launch(request: NewAgentRequest, workspaceDir: string): Promise<AgentSnapshot> {
    const settings = readSettings();
    // The slot budget: a refusal (SlotRefusal) lists the idle agents New Agent offers to stop.
    checkSlot(this.fleet.list(), (a) => this.isLocal(a), settings.maxConcurrentAgents);
    if (this.fleet.isNameTaken(request.name)) throw new Error(`an agent named '${request.name}' exists already`);
    const adapter = this.options.registry.get(request.kind);
    if (!adapter?.plan) throw new Error(`${adapter?.label ?? request.kind} agents cannot be started from here`);

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

    const { agent, token } = this.fleet.create({ name: request.name, kind: request.kind, group: request.group, cwd, worktree, prompt: request.prompt, budget: request.budget });
    try {
      const stateDir = path.join(this.options.storageDir, 'agents', agent.id);
      fs.mkdirSync(stateDir, { recursive: true });
      const spec = {
        agent,
        token,
        bridgeUrl: this.options.bridgeUrl(),
        prompt: request.prompt,
        command: request.command,
        budget: request.budget,
        stateDir,
        hookProgram: this.options.hookProgram,
        approvalTimeoutSeconds: settings.approvalTimeoutSeconds,
        userEnv: { ...(userEnvOf(settings)[request.kind] ?? {}), ...(await this.options.credentialEnv?.(agent, request)) },
      };
      const plan = await adapter.plan(spec);
      writePlanFiles(plan);
      this.fleet.update(agent.id, { command: plan.commandLine });
      this.terminals.start(this.fleet.get(agent.id)!, { commandLine: plan.commandLine, env: plan.env, cwd: plan.cwd, terminalPrompts: plan.terminalPrompts });
    } catch (err) {
      // Nothing runs: the row says why instead of spinning at `starting`.
      this.fleet.apply(agent.id, 'errored', { statusReason: `Could not start: ${err instanceof Error ? err.message : String(err)}` });
      throw err;
    }
    this.options.log.info(`started ${request.kind} agent ${agent.name} in ${cwd}`);
    return this.fleet.get(agent.id)!;
  }

  /** Show Connection Details on a remote agent: new details, since only the token's hash is kept. */
  reissueRemoteConnection(agent: AgentSnapshot): Promise<void> {
    return reissueRemoteDetails(this.fleet, this.options.bridgeUrl(), agent);
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
      `${agent.name} is registered. Its connection details (URL, agent id, token) are on the clipboard; Flotilla keeps only a hash of the token (Show Connection Details issues a new one). ` +
        'The bridge listens on 127.0.0.1: reach it from another machine through an SSH tunnel (ssh -R). See docs/protocol.md.',
    );
  }
}

/**
 * New connection details for a registered remote agent: Flotilla keeps only a hash of a token, so showing them again
 * means issuing a new token (the old one is refused from then on). Copied to the clipboard, never shown in the UI.
 */
async function reissueRemoteDetails(fleet: Fleet, bridgeUrl: string, agent: AgentSnapshot): Promise<void> {
  const go = await vscode.window.showWarningMessage(
    `Issue new connection details for ${agent.name}? Its current token stops working: the agent must connect again with the new one.`,
    { modal: true },
    'Issue New Token',
  );
  if (go !== 'Issue New Token') return;
  const details = reissueRemoteConnection({ bridgeUrl, agent: (id) => fleet.get(id), reissueToken: (id) => fleet.reissueToken(id) }, agent.id);
  if (!details) {
    void vscode.window.showInformationMessage(`${agent.name} is not a remote agent: it has no connection details.`);
    return;
  }
  await vscode.env.clipboard.writeText(details.env);
  void vscode.window.showInformationMessage(`New connection details for ${agent.name} (URL, agent id, token) are on the clipboard; the old token no longer works.`);
}

/** The plan's files (per-agent settings, hook configuration), written before the agent starts; absolute paths only. */
function writePlanFiles(plan: LaunchPlan): void {
  for (const file of plan.files ?? []) {
    if (!path.isAbsolute(file.path)) throw new Error(`the launch plan names a relative file: ${file.path}`);
    fs.mkdirSync(path.dirname(file.path), { recursive: true });
    fs.writeFileSync(file.path, file.content, { mode: file.mode ?? 0o600 });
    if (file.mode !== undefined) fs.chmodSync(file.path, file.mode);
  }
}
