// Reads the budget settings in the window (flotilla.budget.fleet, .groups, .alertThresholds) and tells what is wrong
// with them where it is: each refused entry and each budget for a group no agent or template is in, with the settings
// file, line and column (the folder's .vscode/settings.json, the .code-workspace file, the user settings), once each
// (a warning message and the log).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Fleet } from '../core/fleet/fleet';
import type { Logger } from '../core/log';
import { readScopeBudgets } from '../core/budget/budgetSettings';
import type { ScopeBudgets } from '../core/budget/budgetSettings';
import { locateProblems } from '../core/budget/budgetSettingsPositions';
import type { SettingsFileText } from '../core/budget/budgetSettingsPositions';
import { parseTemplates } from './agentTemplates';
import { Settings } from './ids';

let userSettingsFile: string | undefined;

/** The user settings file lies two folders above the extension's global storage (…/User/globalStorage/<id>). */
export function knowUserSettingsFile(globalStorageDir: string): void {
  userSettingsFile = path.join(globalStorageDir, '..', '..', 'settings.json');
}

function settingsFiles(): SettingsFileText[] {
  const out: SettingsFileText[] = [];
  const read = (file: string, workspaceFile = false): void => {
    try {
      out.push({ label: file, text: fs.readFileSync(file, 'utf8'), ...(workspaceFile ? { workspaceFile } : {}) });
    } catch {
      // No such file: the setting is not there.
    }
  };
  for (const folder of vscode.workspace.workspaceFolders ?? []) if (folder.uri.scheme === 'file') read(path.join(folder.uri.fsPath, '.vscode', 'settings.json'));
  const workspaceFile = vscode.workspace.workspaceFile;
  if (workspaceFile?.scheme === 'file') read(workspaceFile.fsPath, true);
  if (userSettingsFile) read(userSettingsFile);
  return out;
}

export interface BudgetSettingsReadDeps {
  readonly fleet: Fleet;
  readonly log: Logger;
  /** Messages already shown (each is shown once per window). */
  readonly shown: Set<string>;
}

export function readBudgetSettings(d: BudgetSettingsReadDeps): ScopeBudgets {
  const c = vscode.workspace.getConfiguration(Settings.section);
  const knownGroups = new Set<string>();
  for (const a of d.fleet.list()) if (a.group) knownGroups.add(a.group);
  for (const t of parseTemplates(c.get(Settings.agentTemplates)).templates) if (t.group) knownGroups.add(t.group);
  const read = readScopeBudgets(c.get(Settings.budgetFleet), c.get(Settings.budgetGroups), { thresholds: c.get(Settings.budgetAlertThresholds), knownGroups });
  if (read.problems.length === 0) return read;
  for (const p of locateProblems(read.problems, settingsFiles(), Settings.section)) {
    if (p.severity === 'error') d.log.warn(`budget setting refused: ${p.text}`);
    else d.log.info(`budget setting: ${p.text}`);
    if (d.shown.has(p.text)) continue;
    d.shown.add(p.text);
    const then = p.severity === 'warning' ? '' : p.setting === Settings.budgetAlertThresholds ? ' The default thresholds (70 %, 90 %, 100 %) apply.' : ' That budget is not in force.';
    void vscode.window.showWarningMessage(`Flotilla: ${p.text}.${then}`);
  }
  return read;
}
