// Export Audit Log: a save dialog with a suggested name (flotilla-audit-<date>.jsonl, in the workspace folder), then
// every audit row as a JSON line with the agent's name next to its id.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FleetStore } from '../core/store/store';
import { auditExportFileName, exportedEntry } from './auditExportEntries';

export interface AuditExportDeps {
  readonly store: FleetStore;
  /** An agent's name by id (agents removed since are left unnamed). */
  readonly agentName: (agentId: string) => string | undefined;
  readonly workspaceDir: string | undefined;
}

/** Returns how many entries were written, or undefined when the user cancelled. */
export async function exportAuditLog(d: AuditExportDeps): Promise<number | undefined> {
  const name = auditExportFileName(new Date());
  const defaultUri = vscode.Uri.file(d.workspaceDir ? path.join(d.workspaceDir, name) : path.join(os.homedir(), name));
  const target = await vscode.window.showSaveDialog({ defaultUri, filters: { 'JSON Lines': ['jsonl'] }, saveLabel: 'Export Audit Log', title: 'Export Audit Log' });
  if (!target) return undefined;
  const out = fs.createWriteStream(target.fsPath);
  let count = 0;
  for (const row of d.store.exportAudit()) {
    out.write(`${JSON.stringify(exportedEntry(row, d.agentName))}\n`);
    count++;
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  void vscode.window.showInformationMessage(`Exported ${count} audit entries to ${target.fsPath}.`);
  return count;
}
