// The Approvals panel: one webview editor tab where a human works through every agent's pending requests at once.
// A singleton; its webview is not kept while hidden, so each re-show reloads the page, which says `ready` again
// and gets the current list (its own selection and drafts come back from the webview's saved state). A serializer
// brings it back after a window reload.
import * as vscode from 'vscode';
import type { ApprovalQueue } from '../core/approvals/approvalQueue';
import { ApprovalContext } from '../core/approvals/approvalContext';
import type { Fleet } from '../core/fleet/fleet';
import type { Logger } from '../core/log';
import type { AgentSnapshot } from '../shared/agent';
import { ApprovalsHostEndpoint } from '../shared/webview/approvalsHost';
import type { ApprovalsHostOptions } from '../shared/webview/approvalsHost';
import { buildWebviewHtml, webviewPage, webviewResourceRoots } from './webviewHtml';

/** Opens the agent (its terminal, or wherever the caller decides) when the user clicks its name in the panel. */
export type OpenAgent = (agentId: string) => unknown;

/** "Always allow for this agent / session" from a request's buttons. */
export type AlwaysAllow = NonNullable<ApprovalsHostOptions['alwaysAllow']>;

export interface ApprovalsPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly queue: ApprovalQueue;
  readonly log: Logger;
  readonly openAgent: OpenAgent;
  readonly alwaysAllow: AlwaysAllow;
  /** The agents behind the requests: their task, last words and spend are shown beside them. */
  readonly fleet?: Pick<Fleet, 'get' | 'onDidChangeAgent'>;
  /** What the agent last said (its agent kind's transcript); undefined: nothing known. */
  readonly lastMessage?: (agent: AgentSnapshot) => Promise<string | undefined>;
}

/** What the panel shows about each asking agent, for as long as the panel lives. */
function contextFor(deps: ApprovalsPanelDeps): ApprovalContext | undefined {
  const fleet = deps.fleet;
  if (!fleet) return undefined;
  return new ApprovalContext({
    agent: (id) => fleet.get(id),
    onDidChangeAgent: fleet.onDidChangeAgent,
    onDidAddRequest: deps.queue.onDidAdd,
    hasPending: (agentId) => deps.queue.pending().some((r) => r.agentId === agentId),
    lastMessage: deps.lastMessage ?? (() => Promise.resolve(undefined)),
    log: deps.log,
  });
}

const webviewOptions = (extensionUri: vscode.Uri): vscode.WebviewOptions => ({ enableScripts: true, localResourceRoots: webviewResourceRoots(extensionUri) });

export class ApprovalsPanel implements vscode.Disposable {
  static readonly viewType = 'flotilla.approvalsPanel';
  static readonly title = 'Flotilla Approvals';
  private static current: ApprovalsPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly endpoint: ApprovalsHostEndpoint;
  private readonly _onDidDispose = new vscode.EventEmitter<void>();
  readonly onDidDispose: vscode.Event<void> = this._onDidDispose.event;
  private disposed = false;

  /** Reveals the panel, creating it the first time (or after it was closed). */
  static show(deps: ApprovalsPanelDeps): ApprovalsPanel {
    const existing = ApprovalsPanel.current;
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      ApprovalsPanel.viewType,
      ApprovalsPanel.title,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      { ...webviewOptions(deps.extensionUri), retainContextWhenHidden: false },
    );
    ApprovalsPanel.current = new ApprovalsPanel(panel, deps);
    return ApprovalsPanel.current;
  }

  /** Restores the panel VS Code kept across a window reload (its own selection and drafts come back from its state). */
  static registerSerializer(deps: ApprovalsPanelDeps): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(ApprovalsPanel.viewType, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        ApprovalsPanel.current?.dispose();
        panel.webview.options = webviewOptions(deps.extensionUri);
        ApprovalsPanel.current = new ApprovalsPanel(panel, deps);
      },
    });
  }

  /** The open panel, if any. */
  static get currentPanel(): ApprovalsPanel | undefined {
    return ApprovalsPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    deps: ApprovalsPanelDeps,
  ) {
    const { extensionUri } = deps;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'flotilla.svg');
    const context = contextFor(deps);
    if (context) this.disposables.push(context);
    this.endpoint = new ApprovalsHostEndpoint({
      ...(context ? { context } : {}),
      source: deps.queue,
      post: (message) => panel.webview.postMessage(message),
      log: deps.log,
      openAgent: deps.openAgent,
      alwaysAllow: deps.alwaysAllow,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.endpoint.receive(message)),
      // Hidden means the page is gone (retainContextWhenHidden is off); the reloaded page says `ready` again.
      panel.onDidChangeViewState(({ webviewPanel }) => {
        if (!webviewPanel.visible) this.endpoint.detach();
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    panel.webview.html = buildWebviewHtml(webviewPage(panel.webview, extensionUri, 'approvals', ApprovalsPanel.title));
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (ApprovalsPanel.current === this) ApprovalsPanel.current = undefined;
    this.endpoint.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this._onDidDispose.fire();
    this._onDidDispose.dispose();
  }
}
