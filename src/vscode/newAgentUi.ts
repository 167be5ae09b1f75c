// New Agent's commands and what they remember: the New Agent flow with the recent prompts (globalState) and the
// prompt editor, New Agent from Template…, and Start Agent with This Prompt (the prompt editor's command). An agent for
// a connected remote host is started here, by its runner (src/vscode/remoteNewAgent.ts).
import * as vscode from 'vscode';
import type { Fleet } from '../core/fleet/fleet';
import type { Logger } from '../core/log';
import type { AgentLauncher } from './agentLauncher';
import { newAgentFromTemplate } from './agentTemplatesUi';
import { NewAgentCommands } from './ids';
import { askNewAgent } from './newAgentFlow';
import type { NewAgentRequest } from './newAgentFlow';
import { PromptEditors } from './promptEditor';
import { PromptHistory } from './promptHistory';
import type { PromptStore } from './promptHistory';
import { startOnRunner } from './remoteNewAgent';
import type { RemoteHosts } from './remoteNewAgent';

export interface NewAgentUiDeps {
  readonly fleet: Fleet;
  readonly launcher: AgentLauncher;
  readonly state: PromptStore;
  readonly workspaceDir: string | undefined;
  readonly log: Logger;
  /** Remote connections New Agent can target when connected. */
  readonly remoteHosts?: RemoteHosts;
}

export class NewAgentUi implements vscode.Disposable {
  private readonly history: PromptHistory;
  private readonly editors: PromptEditors;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly deps: NewAgentUiDeps) {
    this.history = new PromptHistory(deps.state);
    this.editors = new PromptEditors(this.history, deps.log);
    this.disposables = [
      this.editors,
      vscode.commands.registerCommand(NewAgentCommands.newAgentFromTemplate, () =>
        newAgentFromTemplate({ launcher: deps.launcher, isNameTaken: (n) => deps.fleet.isNameTaken(n), workspaceDir: deps.workspaceDir, log: deps.log }),
      ),
      vscode.commands.registerCommand(NewAgentCommands.startAgentWithPrompt, () => this.editors.startFromActiveEditor()),
    ];
  }

  /**
   * The New Agent flow; a prompt given is remembered before the agent starts (a failed start keeps it). A request for
   * a remote host is started on its runner here: then nothing is left for this window's launcher (undefined).
   */
  async ask(): Promise<NewAgentRequest | undefined> {
    const { remoteHosts } = this.deps;
    const request = await askNewAgent({
      choices: this.deps.launcher.launchChoices(),
      suggestedName: this.deps.fleet.suggestName(),
      isNameTaken: (n) => this.deps.fleet.isNameTaken(n),
      recentPrompts: this.history.list(),
      writePrompt: (name, seed) => this.editors.write(name, seed),
      hosts: remoteHosts?.connectedNames() ?? [],
    });
    if (request?.prompt) await this.history.remember(request.prompt);
    if (request?.host !== undefined && remoteHosts) {
      await startOnRunner(remoteHosts, { ...request, host: request.host }, this.deps.log);
      return undefined;
    }
    return request;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
