// Makes "always allow" visible: every rule the approval UI adds is announced with where it went and a way to see it
// (the policy file at the rule's line, or the session rules list where each one can be revoked).
import * as vscode from 'vscode';
import type { AlwaysAllowResult, AlwaysAllowService } from '../core/policy/alwaysAllow';
import type { NarrowScope } from '../core/policy/narrowRule';
import type { SessionRule, SessionRules } from '../core/policy/sessionRules';
import type { AlwaysAllowAnswer } from '../shared/webview/approvalsHost';
import { plainText } from '../core/approvals/noticeText';

export const OPEN_POLICY_FILE = 'Open Policy File';
export const SHOW_SESSION_RULES = 'Show Session Rules';
export const REVOKE = 'Revoke';

/** The notification text for a rule just added (also what the Approvals panel's notice says, shorter). */
export function ruleAddedText(result: Extract<AlwaysAllowResult, { ok: true }>): string {
  const { rule, where } = result;
  return where.kind === 'file'
    ? `Flotilla added a rule to ${where.label}: ${rule.description ?? rule.id}`
    : `Flotilla added a session rule: ${rule.description ?? rule.id} (until ${where.agentName}'s session ends)`;
}

export class AlwaysAllowUi {
  constructor(
    private readonly service: AlwaysAllowService,
    private readonly sessionRules: SessionRules,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** For the Approvals panel: adds the rule, announces it, and answers the webview. */
  readonly alwaysAllow = (requestId: string, scope: NarrowScope): AlwaysAllowAnswer => {
    const result = this.service.alwaysAllow(requestId, scope);
    if (!result.ok) {
      this.log.info(`always allow for this ${scope} refused: ${result.reason}`);
      return result;
    }
    this.log.info(`${ruleAddedText(result)} [${result.rule.id}]`);
    void this.announce(result);
    const what = result.rule.description ?? result.rule.id;
    return { ok: true, message: result.where.kind === 'file' ? `Added to ${result.where.label}: ${what}` : `Added a session rule: ${what}` };
  };

  /** Lists the session rules; picking one offers to revoke it. */
  async showSessionRules(): Promise<void> {
    const rules = this.sessionRules.list();
    if (rules.length === 0) {
      void vscode.window.showInformationMessage('Flotilla has no session rules. "Always allow for this session" in the Approvals panel adds them.');
      return;
    }
    const pick = await vscode.window.showQuickPick(
      rules.map((entry) => ({ label: entry.rule.description ?? entry.rule.id, description: entry.agentName, detail: detailOf(entry), entry })),
      { title: 'Flotilla Session Rules', placeHolder: 'Pick a rule to revoke it', matchOnDescription: true, matchOnDetail: true },
    );
    if (!pick) return;
    const choice = await vscode.window.showInformationMessage(plainText(`Revoke the session rule "${pick.label}"? ${pick.entry.agentName} will be asked again.`), REVOKE);
    if (choice !== REVOKE) return;
    if (this.sessionRules.remove(pick.entry.rule.id)) {
      this.log.info(`session rule revoked: ${pick.entry.rule.id}`);
      void vscode.window.showInformationMessage(plainText(`Flotilla revoked the session rule: ${pick.label}`));
    } else {
      void vscode.window.showInformationMessage('That session rule had already ended with its session.');
    }
  }

  private async announce(result: Extract<AlwaysAllowResult, { ok: true }>): Promise<void> {
    if (result.warning) void vscode.window.showWarningMessage(`Flotilla: ${result.warning}`);
    const where = result.where;
    const action = where.kind === 'file' ? OPEN_POLICY_FILE : SHOW_SESSION_RULES;
    const choice = await vscode.window.showInformationMessage(plainText(ruleAddedText(result)), action);
    if (choice !== action) return;
    try {
      if (where.kind === 'file') await openAtLine(where.file, where.idLine);
      else await this.showSessionRules();
    } catch (err) {
      void vscode.window.showErrorMessage(`Flotilla could not ${action.toLowerCase()}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

function detailOf(entry: SessionRule): string {
  const time = new Date(entry.addedAt).toLocaleTimeString();
  return `${entry.rule.id} · added ${time}${entry.sessionId ? ` · session ${entry.sessionId}` : ''}`;
}

/** Opens the file with the cursor on `line` (1-based), in the middle of the editor. */
async function openAtLine(file: string, line: number): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const at = new vscode.Position(Math.max(0, Math.min(line - 1, document.lineCount - 1)), 0);
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  const range = document.lineAt(at.line).range;
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
}
