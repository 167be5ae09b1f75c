// The policy in force: the shipped default, then the user's `flotilla.policy` setting, then the workspace's
// `.flotilla/policy.json`, then the in-memory session rules (later layers refine earlier ones). Reloaded when any
// changes; errors are shown with the file, line and field that is wrong, and the last good layers stay in force.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_POLICY } from '../core/policy/defaultPolicy';
import { compilePolicy } from '../core/policy/compilePolicy';
import type { CompiledPolicy } from '../core/policy/compilePolicy';
import { formatPolicyError, loadPolicyFile, loadPolicySettings, mergePolicies } from '../core/policy/loadPolicy';
import type { SessionRules } from '../core/policy/sessionRules';
import type { PolicyFile } from '../shared/policy';
import { Settings } from './ids';

/** Where the workspace policy file lives, relative to the workspace folder. */
export const WORKSPACE_POLICY_FILE = path.join('.flotilla', 'policy.json');
export const WORKSPACE_POLICY_LABEL = '.flotilla/policy.json';

export class PolicySource implements vscode.Disposable {
  private compiled: CompiledPolicy = compilePolicy(DEFAULT_POLICY);
  /** The last layers that loaded; a broken edit keeps these in force. */
  private user: PolicyFile | undefined;
  private workspace: PolicyFile | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly workspaceDir: string | undefined,
    private readonly sessionRules: SessionRules,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.reload();
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${Settings.section}.${Settings.policy}`)) this.reload();
      }),
      sessionRules.onDidChange(() => this.compose()),
    );
    if (workspaceDir) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(workspaceDir, WORKSPACE_POLICY_LABEL));
      this.subscriptions.push(watcher, watcher.onDidChange(() => this.reload()), watcher.onDidCreate(() => this.reload()), watcher.onDidDelete(() => this.reload()));
    }
  }

  get policy(): CompiledPolicy {
    return this.compiled;
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
  }

  /** The workspace policy file, or undefined without a workspace folder. */
  get workspaceFile(): string | undefined {
    return this.workspaceDir ? path.join(this.workspaceDir, WORKSPACE_POLICY_FILE) : undefined;
  }

  /** Reads the setting and the file now (also called right after Flotilla writes the file itself). */
  reload(): { ok: true } | { ok: false; error: string } {
    const errors: string[] = [];
    const settings = loadPolicySettings(vscode.workspace.getConfiguration(Settings.section).get(Settings.policy));
    let user: PolicyFile | undefined;
    if (settings.ok) user = settings.policy;
    else errors.push(...settings.errors.map(formatPolicyError));
    let workspace: PolicyFile | undefined;
    const file = this.workspaceFile;
    if (file && fs.existsSync(file)) {
      const loaded = loadPolicyFile(fs.readFileSync(file, 'utf8'), WORKSPACE_POLICY_LABEL);
      if (loaded.ok) workspace = loaded.policy;
      else errors.push(...loaded.errors.map(formatPolicyError));
    }
    if (errors.length > 0) {
      for (const e of errors) this.log.error(`policy: ${e}`);
      void vscode.window.showErrorMessage(`Flotilla policy not loaded, the previous one stays in force: ${errors[0]}${errors.length > 1 ? ` (and ${errors.length - 1} more in the log)` : ''}`);
      return { ok: false, error: errors[0]! };
    }
    this.user = user;
    this.workspace = workspace;
    this.compose();
    this.log.info(`policy loaded (default${user?.rules?.length ? ' + settings' : ''}${workspace ? ` + ${WORKSPACE_POLICY_LABEL}` : ''})`);
    return { ok: true };
  }

  private compose(): void {
    this.compiled = compilePolicy(mergePolicies(DEFAULT_POLICY, this.user, this.workspace, this.sessionRules.asPolicy()));
  }
}
