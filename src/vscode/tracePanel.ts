// The Trace panel: a webview tab per scope (one agent, or the fleet timeline) showing the waterfall of spans. Its
// webview is not kept while hidden: a re-show reloads the page, which says `ready` and gets a fresh snapshot. A
// serializer brings panels back after a window reload with the scope they showed. Also: Export Trace as OTLP JSON.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Logger } from '../core/log';
import { toOtlpJson } from '../core/traces/otlpJson';
import type { TraceService } from '../core/traces/traceService';
import type { AgentSnapshot } from '../shared/agent';
import { TraceHostEndpoint } from '../shared/webview/traceHost';
import { openTraceFile } from './traceFileDiff';
import { buildWebviewHtml, webviewPage, webviewResourceRoots } from './webviewHtml';

export interface TracePanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly traces: TraceService;
  readonly log: Logger;
  /** The agent's name (live agents), else the name its spans carry. */
  readonly agentName: (agentId: string) => string | undefined;
  /** A live agent (its worktree and base commit, for a file's diff); undefined once removed. */
  readonly agent?: (agentId: string) => AgentSnapshot | undefined;
  readonly version?: string;
  /** An agent's scorecard lines (fleet health), shown above its trace. */
  readonly scorecard?: (agentId: string) => readonly string[];
}

const webviewOptions = (extensionUri: vscode.Uri): vscode.WebviewOptions => ({ enableScripts: true, localResourceRoots: webviewResourceRoots(extensionUri) });
const FLEET = '';

export class TracePanel implements vscode.Disposable {
  static readonly viewType = 'flotilla.tracePanel';
  private static readonly open = new Map<string, TracePanel>();
  private readonly endpoint: TraceHostEndpoint;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  /** Reveals the panel of an agent (or the fleet timeline when agentId is undefined), creating it if needed. */
  static show(deps: TracePanelDeps, agentId: string | undefined): TracePanel {
    const existing = TracePanel.open.get(agentId ?? FLEET);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(TracePanel.viewType, titleOf(deps, agentId), { viewColumn: vscode.ViewColumn.Active }, { ...webviewOptions(deps.extensionUri), retainContextWhenHidden: false });
    return new TracePanel(panel, deps, agentId);
  }

  static registerSerializer(deps: TracePanelDeps): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(TracePanel.viewType, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        const agentId = state && typeof state === 'object' && typeof (state as { agentId?: unknown }).agentId === 'string' ? (state as { agentId: string }).agentId : undefined;
        TracePanel.open.get(agentId ?? FLEET)?.dispose();
        panel.webview.options = webviewOptions(deps.extensionUri);
        new TracePanel(panel, deps, agentId);
      },
    });
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    deps: TracePanelDeps,
    private readonly agentId: string | undefined,
  ) {
    TracePanel.open.set(agentId ?? FLEET, this);
    const title = titleOf(deps, agentId);
    panel.title = title;
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'flotilla.svg');
    this.endpoint = new TraceHostEndpoint({
      source: deps.traces,
      ...(agentId !== undefined ? { agentId } : {}),
      title,
      post: (m) => panel.webview.postMessage(m),
      log: deps.log,
      exportTrace: (traceId) => exportTrace(deps, traceId),
      openFile: (id, file) => openTraceFile(deps.agent?.(id), nameOf(deps, id), file),
      ...(deps.scorecard ? { scorecard: deps.scorecard } : {}),
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.endpoint.receive(m)),
      panel.onDidChangeViewState(({ webviewPanel }) => {
        if (!webviewPanel.visible) this.endpoint.detach();
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    panel.webview.html = buildWebviewHtml(webviewPage(panel.webview, deps.extensionUri, 'trace', title));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (TracePanel.open.get(this.agentId ?? FLEET) === this) TracePanel.open.delete(this.agentId ?? FLEET);
    this.endpoint.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

function titleOf(deps: TracePanelDeps, agentId: string | undefined): string {
  if (agentId === undefined) return 'Flotilla Fleet Timeline';
  return `Trace: ${nameOf(deps, agentId)}`;
}

function nameOf(deps: TracePanelDeps, agentId: string): string {
  return deps.agentName(agentId) ?? deps.traces.spans(agentId).find((s) => s.agentName)?.agentName ?? agentId;
}

/** Agents to pick from: live ones and removed ones that left a trace. */
export async function pickTraceAgent(deps: TracePanelDeps): Promise<string | undefined> {
  const items = deps.traces.agentsWithHistory().map(({ agentId, lastStartedAt }) => ({
    label: deps.agentName(agentId) ?? deps.traces.spans(agentId).find((s) => s.agentName)?.agentName ?? agentId,
    description: new Date(lastStartedAt).toLocaleString(),
    agentId,
  }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No agent has a trace yet.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { placeHolder: 'Whose trace?' }))?.agentId;
}

/** Writes one trace (or, without an id, every span of a picked agent) as OTLP JSON to a file the user picks. */
export async function exportTrace(deps: TracePanelDeps, traceId?: string, agentId?: string): Promise<string | undefined> {
  const spans = traceId ? deps.traces.trace(traceId) : agentId ? deps.traces.spans(agentId) : [];
  if (spans.length === 0) {
    void vscode.window.showInformationMessage('Nothing to export: no spans.');
    return undefined;
  }
  const target = await vscode.window.showSaveDialog({ filters: { 'OTLP JSON': ['json'] }, saveLabel: 'Export Trace' });
  if (!target) return undefined;
  await fs.promises.writeFile(target.fsPath, JSON.stringify(toOtlpJson(spans, deps.version)));
  void vscode.window.showInformationMessage(`Exported ${spans.length} spans as OTLP JSON to ${target.fsPath}.`);
  return target.fsPath;
}
