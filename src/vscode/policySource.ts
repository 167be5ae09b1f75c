// The policy in force: the shipped default, then the user's `flotilla.policy` setting, then the workspace's
// `.flotilla/policy.json` (later layers refine earlier ones). Reloaded when either changes; errors are shown
// with the file, line and field that is wrong, and the last good policy stays in force.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_POLICY } from '../core/policy/defaultPolicy';
import { compilePolicy } from '../core/policy/compilePolicy';
import type { CompiledPolicy } from '../core/policy/compilePolicy';
import { formatPolicyError, loadPolicyFile, loadPolicySettings, mergePolicies } from '../core/policy/loadPolicy';
import type { PolicyFile } from '../shared/policy';
import { Settings } from './ids';

export class PolicySource implements vscode.Disposable {
  private compiled: CompiledPolicy = compilePolicy(DEFAULT_POLICY);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly workspaceDir: string | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.reload();
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${Settings.section}.${Settings.policy}`)) this.reload();
      }),
    );
    if (workspaceDir) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(workspaceDir, '.flotilla/policy.json'));
      this.subscriptions.push(watcher, watcher.onDidChange(() => this.reload()), watcher.onDidCreate(() => this.reload()), watcher.onDidDelete(() => this.reload()));
    }
  }

  get policy(): CompiledPolicy {
    return this.compiled;
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
  }

  private reload(): void {
    const errors: string[] = [];
    const settings = loadPolicySettings(vscode.workspace.getConfiguration(Settings.section).get(Settings.policy));
    let user: PolicyFile | undefined;
    if (settings.ok) user = settings.policy;
    else errors.push(...settings.errors.map(formatPolicyError));
    let workspace: PolicyFile | undefined;
    const file = this.workspaceDir ? path.join(this.workspaceDir, '.flotilla', 'policy.json') : undefined;
    if (file && fs.existsSync(file)) {
      const loaded = loadPolicyFile(fs.readFileSync(file, 'utf8'), '.flotilla/policy.json');
      if (loaded.ok) workspace = loaded.policy;
      else errors.push(...loaded.errors.map(formatPolicyError));
    }
    if (errors.length > 0) {
      for (const e of errors) this.log.error(`policy: ${e}`);
      void vscode.window.showErrorMessage(`Flotilla policy not loaded, the previous one stays in force: ${errors[0]}${errors.length > 1 ? ` (and ${errors.length - 1} more in the log)` : ''}`);
      return;
    }
    this.compiled = compilePolicy(mergePolicies(DEFAULT_POLICY, user, workspace));
    this.log.info(`policy loaded (default${user?.rules?.length ? ' + settings' : ''}${workspace ? ' + .flotilla/policy.json' : ''})`);
  }
}
