// The Costs view: one webview tab with the fleet's spending (per agent, group, model, credential, and per local day
// over 7 or 30 days) and the budgets beside their scope. Its webview is not kept while hidden: a re-show reloads the
// page, which says `ready` with its period and gets a fresh report; a serializer brings it back after a window
// reload. New reports follow the fleet's spending (coalesced). Registers "Flotilla: Open Costs".
import * as vscode from 'vscode';
import type { Logger } from '../core/log';
import { CostsHostEndpoint } from '../shared/webview/costsHost';
import type { CostPeriod, CostReport } from '../shared/webview/costsProtocol';
import type { Event } from '../core/events';
import type { AgentSnapshot } from '../shared/agent';
import { CostsCommands } from './ids';
import { buildWebviewHtml, webviewPage, webviewResourceRoots } from './webviewHtml';

export interface CostsPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly log: Logger;
  /** The report of a period (src/core/cost/costReport.ts over the store, the fleet and the budgets; in a worker). */
  readonly report: (days: CostPeriod) => CostReport | Promise<CostReport>;
  /** Spending moves with these: an agent's change (its cost) and its removal. */
  readonly onDidChangeAgent: Event<AgentSnapshot>;
  readonly onDidRemoveAgent: Event<string>;
}

const webviewOptions = (extensionUri: vscode.Uri): vscode.WebviewOptions => ({ enableScripts: true, localResourceRoots: webviewResourceRoots(extensionUri) });
const TITLE = 'Flotilla Costs';

export class CostsPanel implements vscode.Disposable {
  static readonly viewType = 'flotilla.costsPanel';
  private static current: CostsPanel | undefined;
  private readonly endpoint: CostsHostEndpoint;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly costs = new Map<string, number>();
  private disposed = false;

  static show(deps: CostsPanelDeps): CostsPanel {
    if (CostsPanel.current) {
      CostsPanel.current.panel.reveal();
      return CostsPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(CostsPanel.viewType, TITLE, { viewColumn: vscode.ViewColumn.Active }, { ...webviewOptions(deps.extensionUri), retainContextWhenHidden: false });
    return new CostsPanel(panel, deps);
  }

  /** The panel after a window reload, and the Open Costs command. */
  static register(deps: CostsPanelDeps): vscode.Disposable {
    return vscode.Disposable.from(
      vscode.window.registerWebviewPanelSerializer(CostsPanel.viewType, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
          CostsPanel.current?.dispose();
          panel.webview.options = webviewOptions(deps.extensionUri);
          new CostsPanel(panel, deps);
        },
      }),
      vscode.commands.registerCommand(CostsCommands.openCosts, () => void CostsPanel.show(deps)),
      { dispose: () => CostsPanel.current?.dispose() },
    );
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    deps: CostsPanelDeps,
  ) {
    CostsPanel.current = this;
    panel.title = TITLE;
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'flotilla.svg');
    this.endpoint = new CostsHostEndpoint({ report: deps.report, post: (m) => panel.webview.postMessage(m), log: deps.log });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.endpoint.receive(m)),
      panel.onDidChangeViewState(({ webviewPanel }) => {
        if (!webviewPanel.visible) this.endpoint.detach();
      }),
      panel.onDidDispose(() => this.dispose()),
      // Only a change of what an agent spent (or its removal) makes a new report.
      deps.onDidChangeAgent((agent) => {
        if (this.costs.get(agent.id) === agent.costUsd) return;
        this.costs.set(agent.id, agent.costUsd);
        this.endpoint.changed();
      }),
      deps.onDidRemoveAgent((id) => {
        this.costs.delete(id);
        this.endpoint.changed();
      }),
    );
    panel.webview.html = buildWebviewHtml(webviewPage(panel.webview, deps.extensionUri, 'costs', TITLE));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (CostsPanel.current === this) CostsPanel.current = undefined;
    this.endpoint.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
