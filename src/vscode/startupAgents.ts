// Starts the agents listed in flotilla.startupAgents that this workspace does not have yet (the demo fleet).
import * as vscode from 'vscode';
import type { Fleet } from '../core/fleet/fleet';
import type { Logger } from '../core/log';
import type { AgentLauncher } from './agentLauncher';
import { readSettings } from './settings';

export async function launchStartupAgents(launcher: AgentLauncher, fleet: Fleet, workspaceDir: string, log: Logger): Promise<void> {
  for (const spec of readSettings().startupAgents) {
    if (fleet.isNameTaken(spec.name)) continue;
    try {
      await launcher.launch({ kind: spec.kind ?? 'claude-code', name: spec.name, prompt: spec.prompt, where: spec.where ?? 'worktree' }, workspaceDir);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.error(`could not start ${spec.name} from flotilla.startupAgents: ${message}`);
      void vscode.window.showErrorMessage(`Flotilla could not start ${spec.name}: ${message}`);
    }
  }
}
