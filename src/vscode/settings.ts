// Typed reads of Flotilla's settings (keys from ids.ts, defaults from package.json).
import * as vscode from 'vscode';
import { Settings } from './ids';

export interface FlotillaSettings {
  readonly worktreesRoot: string;
  readonly bridgePort: number;
  readonly claudeCodePath: string;
  readonly claudeCodeEnv: Record<string, string>;
  readonly approvalTimeoutSeconds: number;
  readonly approvalEscalateAfterSeconds: number;
  readonly approvalOnTimeout: 'ask' | 'deny';
  readonly approvalBatchWindowMs: number;
  readonly pricingOverrides: Record<string, unknown>;
  readonly stallSeconds: number;
  readonly maxConcurrentAgents: number;
  readonly startupAgents: readonly StartupAgent[];
}

export interface StartupAgent {
  readonly name: string;
  readonly kind?: 'claude-code' | 'codex';
  readonly prompt?: string;
  readonly where?: 'worktree' | 'workspace';
  /** The agent's budget in New Agent's words: "$5, 30m, 200k tokens". */
  readonly budget?: string;
}

export function readSettings(): FlotillaSettings {
  const c = vscode.workspace.getConfiguration(Settings.section);
  return {
    worktreesRoot: c.get<string>(Settings.worktreesRoot, ''),
    bridgePort: c.get<number>(Settings.bridgePort, 0),
    claudeCodePath: c.get<string>(Settings.claudeCodePath, 'claude'),
    claudeCodeEnv: c.get<Record<string, string>>(Settings.claudeCodeEnv, {}),
    approvalTimeoutSeconds: c.get<number>(Settings.approvalTimeoutSeconds, 300),
    approvalEscalateAfterSeconds: c.get<number>(Settings.approvalEscalateAfterSeconds, 60),
    approvalOnTimeout: c.get<string>(Settings.approvalOnTimeout, 'ask') === 'deny' ? 'deny' : 'ask',
    approvalBatchWindowMs: c.get<number>(Settings.approvalBatchWindowMs, 1500),
    pricingOverrides: c.get<Record<string, unknown>>(Settings.pricingOverrides, {}),
    stallSeconds: c.get<number>(Settings.stallSeconds, 120),
    maxConcurrentAgents: c.get<number>(Settings.maxConcurrentAgents, 8),
    startupAgents: c.get<StartupAgent[]>(Settings.startupAgents, []),
  };
}
