// Tamper detection and quarantine, made visible: a warning when a protected file changes outside Flotilla (with
// Show Diff / Open File / Show Agents), the Release from Quarantine command, and the user's own saves in the editor
// told to the watch as expected writes (so editing .vscode/settings.json yourself quarantines nobody).
import * as vscode from 'vscode';
import type { Fleet } from '../core/fleet/fleet';
import type { Quarantines } from '../core/guard/quarantine';
import type { TamperResponder, TamperResponse } from '../core/guard/tamperResponder';
import type { TamperWatch } from '../core/guard/tamperWatch';
import { displayPath, tamperNoticeText } from '../core/guard/tamperNotice';
import type { AgentSnapshot } from '../shared/agent';
import { Views } from './ids';

export const SHOW_DIFF = 'Show Diff';
export const OPEN_FILE = 'Open File';
export const SHOW_AGENTS = 'Show Agents';
export const RELEASE = 'Release';

const PREVIOUS_SCHEME = 'flotilla-tamper';
/** Changes within this window share one notification (a script usually touches several files at once). */
const GATHER_MS = 400;
const KEEP_PREVIOUS = 20;

export interface QuarantineUiDeps {
  readonly fleet: Fleet;
  readonly quarantines: Quarantines;
  readonly responder: TamperResponder;
  readonly watch: TamperWatch;
  readonly log: vscode.LogOutputChannel;
  readonly home: string | undefined;
}

export class QuarantineUi implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private gathered: TamperResponse[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The content of a file before a change, served to the diff editor by id. */
  private readonly previous = new Map<string, string>();
  private nextId = 0;

  constructor(private readonly deps: QuarantineUiDeps) {
    const gather = deps.responder.onDidRespond((r) => this.gather(r));
    this.disposables.push(
      { dispose: () => gather.dispose() },
      vscode.workspace.registerTextDocumentContentProvider(PREVIOUS_SCHEME, { provideTextDocumentContent: (uri) => this.previous.get(uri.query) ?? '' }),
      // A save in the editor is the user's own change: the watch expects exactly the text being saved.
      vscode.workspace.onWillSaveTextDocument((e) => {
        if (e.document.uri.scheme === 'file') deps.watch.expectWrite(e.document.uri.fsPath, e.document.getText());
      }),
    );
  }

  /** Release from Quarantine: from an agent's row, with an agent id, or from the palette with a picker. */
  async release(arg?: unknown): Promise<boolean> {
    const agent = await this.pickAgent(arg);
    if (!agent?.quarantine) {
      if (agent) void vscode.window.showInformationMessage(`${agent.name} is not quarantined.`);
      return false;
    }
    const evidence = agent.quarantine.evidence.slice(-5).map((e) => `• ${e}`).join('\n');
    const choice = await vscode.window.showWarningMessage(
      `Release ${agent.name} from quarantine?`,
      { modal: true, detail: `${agent.quarantine.reason}.\n\n${evidence}\n\nIts tool calls will follow the policy again. Check the changed files first.` },
      RELEASE,
    );
    if (choice !== RELEASE) return false;
    const result = this.deps.quarantines.release(agent.id);
    if (!result.ok) {
      void vscode.window.showInformationMessage(`Flotilla did not release ${agent.name}: ${result.reason}.`);
      return false;
    }
    void vscode.window.showInformationMessage(`${agent.name} is released from quarantine; its tool calls follow the policy again.`);
    return true;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private async pickAgent(arg: unknown): Promise<AgentSnapshot | undefined> {
    if (arg && typeof arg === 'object' && 'id' in arg) return this.deps.fleet.get(String((arg as { id: unknown }).id));
    if (typeof arg === 'string') return this.deps.fleet.get(arg);
    const quarantined = this.deps.quarantines.list();
    if (quarantined.length === 0) {
      void vscode.window.showInformationMessage('No agent is quarantined.');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      quarantined.map((a) => ({ label: a.name, description: a.quarantine?.reason, detail: a.quarantine?.evidence.at(-1), agent: a })),
      { title: 'Release from Quarantine', placeHolder: 'Which agent?', matchOnDescription: true },
    );
    return pick?.agent;
  }

  private gather(response: TamperResponse): void {
    this.gathered.push(response);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const batch = this.gathered;
      this.gathered = [];
      void this.notify(batch).catch((err: unknown) => this.deps.log.error(`tamper warning failed: ${err instanceof Error ? err.message : String(err)}`));
    }, GATHER_MS);
  }

  private async notify(batch: readonly TamperResponse[]): Promise<void> {
    const files = new Set(batch.map((r) => r.event.file));
    const single = files.size === 1 ? batch.at(-1)!.event : undefined;
    const previous = single?.previous !== undefined && single.kind === 'changed' ? this.keepPrevious(single.previous) : undefined;
    const actions = [...(previous ? [SHOW_DIFF] : []), ...(single && single.kind !== 'deleted' ? [OPEN_FILE] : []), SHOW_AGENTS];
    const choice = await vscode.window.showWarningMessage(tamperNoticeText(batch, this.deps.home), ...actions);
    if (choice === SHOW_DIFF && single && previous) {
      const before = vscode.Uri.from({ scheme: PREVIOUS_SCHEME, path: `/${displayPath(single.file, this.deps.home).replace(/^\/+/, '')}`, query: previous });
      await vscode.commands.executeCommand('vscode.diff', before, vscode.Uri.file(single.file), `${displayPath(single.file, this.deps.home)} (before ↔ now)`);
    } else if (choice === OPEN_FILE && single) {
      await vscode.window.showTextDocument(vscode.Uri.file(single.file), { preview: false });
    } else if (choice === SHOW_AGENTS) {
      await vscode.commands.executeCommand(`${Views.agents}.focus`);
    }
  }

  private keepPrevious(text: string): string {
    const id = String(++this.nextId);
    this.previous.set(id, text);
    for (const key of this.previous.keys()) {
      if (this.previous.size <= KEEP_PREVIOUS) break;
      this.previous.delete(key);
    }
    return id;
  }
}
