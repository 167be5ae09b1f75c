// Extension entry point, kept small so the host loads it fast: activate() registers the two views (their rows wait
// for the fleet) and holds every contributed command, then returns; right after, the fleet starts from its own
// chunk (dist/fleet.js: src/vscode/container.ts, the composition root) and takes the views and commands over.
// When start-up fails the user is told why: VS Code itself shows nothing.
import * as vscode from 'vscode';
import { Emitter } from '../core/events';
import type { AgentSnapshot } from '../shared/agent';
import type { PendingApproval } from '../shared/approval';
import { BASE_SCHEME, BaseContentProvider } from './agentDiff';
import type { AgentTreeNode } from './agentsTree';
import type { FlotillaApi } from './api';
import { CommandHold } from './commandHold';
import type { Container, Shell } from './container';
import { DeferredTreeProvider } from './deferredTree';
import { ContextKeys, Commands, Views } from './ids';

export function activate(context: vscode.ExtensionContext): FlotillaApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Flotilla', { log: true });
  context.subscriptions.push(log);
  const shell = openShell(context, log);
  const activationMs = performance.now() - started;
  log.info(`activate() returned in ${activationMs.toFixed(1)} ms; the fleet is starting`);

  let container: Container | undefined;
  const changed = new Emitter<AgentSnapshot>();
  context.subscriptions.push(changed);
  const ready = new Promise<boolean>((resolve) => {
    // After VS Code has had the activation back: the fleet's chunk loads and starts on the next turn of the loop.
    setImmediate(() => {
      startFleet(context, log, shell).then(
        (c) => {
          container = c;
          context.subscriptions.push(c, c.api.onDidChangeAgent((a) => changed.fire(a)));
          const readyMs = performance.now() - started;
          log.info(`Flotilla activated in ${activationMs.toFixed(1)} ms, fleet ready in ${readyMs.toFixed(1)} ms (store: ${c.storeDriver})`);
          resolve(true);
        },
        () => resolve(false),
      );
    });
  });
  return {
    activationMs,
    ready,
    get storeDriver() {
      return container?.storeDriver;
    },
    get bridgePort() {
      return container?.api.bridgePort;
    },
    agents: () => container?.api.agents() ?? [],
    pendingApprovals: () => container?.api.pendingApprovals() ?? [],
    onDidChangeAgent: changed.event,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

/**
 * What the first paint needs: both views (waiting for their rows), every contributed command held, and the base
 * side of Open Diff (a diff editor restored with the window asks for it before the fleet is up).
 */
function openShell(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Shell {
  const agentsTree = new DeferredTreeProvider<AgentTreeNode>();
  const approvalsTree = new DeferredTreeProvider<PendingApproval>();
  const agentsView = vscode.window.createTreeView(Views.agents, { treeDataProvider: agentsTree, showCollapseAll: false, canSelectMany: true });
  const approvalsView = vscode.window.createTreeView(Views.approvals, { treeDataProvider: approvalsTree });
  const contributed = (context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? [];
  const commands = new CommandHold(
    { registerCommand: (id, handler) => vscode.commands.registerCommand(id, handler), executeCommand: (id, ...args) => vscode.commands.executeCommand(id, ...args) },
    contributed.map((c) => c.command),
    (id, error) => {
      if (id === Commands.showLog) return log.show();
      return showStartFailure(log, error);
    },
  );
  const diffBase = vscode.workspace.registerTextDocumentContentProvider(BASE_SCHEME, new BaseContentProvider());
  context.subscriptions.push(agentsTree, approvalsTree, agentsView, approvalsView, commands, diffBase);
  return { agentsTree, agentsView, approvalsTree, approvalsView, commands };
}

async function startFleet(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, shell: Shell): Promise<Container> {
  try {
    const { createContainer } = await import('./container');
    const container = await createContainer(context, log, shell);
    await vscode.commands.executeCommand('setContext', ContextKeys.ready, true);
    return container;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.error(`Flotilla could not start: ${message}`);
    if (err instanceof Error && err.stack) log.error(err.stack);
    // The container disposed what it had registered: the placeholders take the commands back and say why.
    shell.commands.fail(err);
    shell.agentsTree.fail();
    shell.approvalsTree.fail();
    await vscode.commands.executeCommand('setContext', ContextKeys.activationFailed, true);
    void showStartFailure(log, err);
    throw err;
  }
}

function showStartFailure(log: vscode.LogOutputChannel, error: unknown): Thenable<void> {
  const message = error instanceof Error ? error.message : String(error);
  return vscode.window.showErrorMessage(`Flotilla could not start: ${message}`, 'Show Log').then((choice) => {
    if (choice) log.show();
  });
}
