// The policy in force (composePolicy): the floor and the shipped default, the user's own `flotilla.policy`, then
// (only in a trusted workspace) workspace values of `flotilla.policy` and the workspace's `.flotilla/policy.json`,
// then the in-memory session rules. Reloaded when any of them changes or the workspace becomes trusted. Errors are
// shown with the file, line and field that is wrong, and the last good layers stay in force; the user's loosenings
// of protected rules, the workspace entries that were refused, and a workspace policy left out in Restricted Mode
// are each told once (a warning and the log).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { compilePolicy } from '../core/policy/compilePolicy';
import type { CompiledPolicy } from '../core/policy/compilePolicy';
import { composePolicy, USER_SOURCE } from '../core/policy/composePolicy';
import type { PolicyLayer } from '../core/policy/composePolicy';
import { formatPolicyError, loadPolicyFile, loadPolicySettings } from '../core/policy/loadPolicy';
import type { SessionRules } from '../core/policy/sessionRules';
import type { PolicyFile } from '../shared/policy';
import { parseTemplates, templatePolicyLayer } from './agentTemplates';
import { Settings } from './ids';

/** Where the workspace policy file lives, relative to the workspace folder. */
export const WORKSPACE_POLICY_FILE = path.join('.flotilla', 'policy.json');
export const WORKSPACE_POLICY_LABEL = '.flotilla/policy.json';

const WORKSPACE_SETTINGS_SOURCE = 'flotilla.policy (workspace settings)';
const FOLDER_SETTINGS_SOURCE = 'flotilla.policy (folder settings)';

function moreInLog(list: readonly string[]): string {
  return list.length > 1 ? ` (and ${list.length - 1} more in the log)` : '';
}

export class PolicySource implements vscode.Disposable {
  private compiled: CompiledPolicy = compilePolicy(composePolicy({ workspaceTrusted: false }).policy);
  /** The last layers that loaded; a broken edit keeps these in force. */
  private user: PolicyFile | undefined;
  private workspace: PolicyLayer[] = [];
  private trusted = vscode.workspace.isTrusted;
  /** What was last told about warnings and refused entries, so each change is told once. */
  private lastReport = '[[],[]]';
  private lastSkipped = '';
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly workspaceDir: string | undefined,
    private readonly sessionRules: SessionRules,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.reload();
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${Settings.section}.${Settings.policy}`) || e.affectsConfiguration(`${Settings.section}.${Settings.agentTemplates}`)) this.reload();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.log.info('policy: the workspace is trusted now; loading its policy');
        this.reload();
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

  /**
   * Reads the settings and the file now (also called right after Flotilla writes the file itself). Not ok when a
   * layer is broken, or when the workspace has a policy that Restricted Mode keeps out of force.
   */
  reload(): { ok: true } | { ok: false; error: string } {
    this.trusted = vscode.workspace.isTrusted;
    const errors: string[] = [];
    const config = vscode.workspace.getConfiguration(Settings.section, this.workspaceDir ? vscode.Uri.file(this.workspaceDir) : undefined);
    const inspected = config.inspect(Settings.policy);

    let user: PolicyFile | undefined;
    const settings = loadPolicySettings(inspected?.globalValue, USER_SOURCE);
    if (settings.ok) user = settings.policy;
    else errors.push(...settings.errors.map(formatPolicyError));

    // Workspace values of the setting count as workspace layers, like the file; none is read in Restricted Mode.
    const layers: PolicyLayer[] = [];
    const skipped: string[] = [];
    const candidates: [unknown, string][] = [
      [inspected?.workspaceValue, WORKSPACE_SETTINGS_SOURCE],
      [inspected?.workspaceFolderValue, FOLDER_SETTINGS_SOURCE],
    ];
    for (const [value, source] of candidates) {
      if (value === undefined) continue;
      if (!this.trusted) {
        skipped.push(source);
        continue;
      }
      const loaded = loadPolicySettings(value, source);
      if (loaded.ok) layers.push({ source, policy: loaded.policy });
      else errors.push(...loaded.errors.map(formatPolicyError));
    }
    const file = this.workspaceFile;
    if (file && fs.existsSync(file)) {
      if (!this.trusted) skipped.push(WORKSPACE_POLICY_LABEL);
      else {
        const loaded = loadPolicyFile(fs.readFileSync(file, 'utf8'), WORKSPACE_POLICY_LABEL);
        if (loaded.ok) layers.push({ source: WORKSPACE_POLICY_LABEL, policy: loaded.policy });
        else errors.push(...loaded.errors.map(formatPolicyError));
      }
    }

    // The templates' policy additions (flotilla.agentTemplates), scoped to their agents, composed like a workspace layer.
    const templateLayer = templatePolicyLayer(parseTemplates(config.get(Settings.agentTemplates)).templates);
    if (templateLayer) layers.push(templateLayer);

    if (errors.length > 0) {
      for (const e of errors) this.log.error(`policy: ${e}`);
      void vscode.window.showErrorMessage(`Flotilla policy not loaded, the previous one stays in force: ${errors[0]}${moreInLog(errors)}`);
      return { ok: false, error: errors[0]! };
    }
    this.user = user;
    this.workspace = layers;
    this.compose();
    const parts = ['floor', 'default', ...(user && (user.rules?.length || user.disable?.length || user.defaultTier) ? ['user settings'] : []), ...layers.map((l) => l.source)];
    this.log.info(`policy loaded (${parts.join(' + ')})`);
    this.tellSkipped(skipped);
    if (skipped.length > 0) {
      return { ok: false, error: `this workspace is not trusted (Restricted Mode), so its policy (${skipped.join(', ')}) is not in force` };
    }
    return { ok: true };
  }

  private compose(): void {
    const r = composePolicy({ user: this.user, workspace: this.workspace, session: this.sessionRules.asPolicy(), workspaceTrusted: this.trusted });
    this.compiled = compilePolicy(r.policy);
    this.tellReport(r.warnings, r.ignored);
  }

  /** The user's loosenings and the workspace's refused entries, told once per change. */
  private tellReport(warnings: readonly string[], ignored: readonly string[]): void {
    const key = JSON.stringify([warnings, ignored]);
    if (key === this.lastReport) return;
    this.lastReport = key;
    for (const w of warnings) this.log.warn(`policy: ${w}`);
    for (const i of ignored) this.log.warn(`policy: ignored ${i}`);
    if (warnings.length > 0) {
      void vscode.window.showWarningMessage(`Flotilla: your user settings loosen the protected policy: ${warnings[0]}${moreInLog(warnings)}`);
    }
    if (ignored.length > 0) {
      void vscode.window.showWarningMessage(`Flotilla ignored part of the workspace policy (it may add and tighten rules, not loosen protected ones): ${ignored[0]}${moreInLog(ignored)}`);
    }
  }

  /** In Restricted Mode: the workspace's policy is not loaded; said once per change, with a way to trust. */
  private tellSkipped(skipped: readonly string[]): void {
    const key = skipped.join('\n');
    if (key === this.lastSkipped) return;
    this.lastSkipped = key;
    if (!skipped.length) return;
    const text = `Restricted Mode: Flotilla did not load this workspace's policy (${skipped.join(', ')}); agents run under the default policy and your user settings until you trust the workspace.`;
    this.log.warn(`policy: ${text}`);
    void vscode.window.showWarningMessage(text, 'Manage Workspace Trust').then((pick) => {
      if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  }
}
