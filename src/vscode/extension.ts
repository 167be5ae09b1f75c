// Extension entry point: builds the one container (the composition root) and hands VS Code one disposable.
// When start-up fails the user is told why: VS Code itself shows nothing.
import * as vscode from 'vscode';
import { ContextKeys, Commands } from './ids';
import { createContainer } from './container';
import type { FlotillaApi } from './api';

export async function activate(context: vscode.ExtensionContext): Promise<FlotillaApi | undefined> {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Flotilla', { log: true });
  context.subscriptions.push(log);
  try {
    const container = await createContainer(context, log);
    context.subscriptions.push(container);
    await vscode.commands.executeCommand('setContext', ContextKeys.ready, true);
    const activationMs = performance.now() - started;
    log.info(`Flotilla activated in ${activationMs.toFixed(1)} ms (store: ${container.storeDriver})`);
    return container.api(activationMs);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.error(`Flotilla could not start: ${message}`);
    if (err instanceof Error && err.stack) log.error(err.stack);
    await vscode.commands.executeCommand('setContext', ContextKeys.activationFailed, true);
    // Keep the log reachable even though nothing else was registered.
    context.subscriptions.push(vscode.commands.registerCommand(Commands.showLog, () => log.show()));
    void vscode.window.showErrorMessage(`Flotilla could not start: ${message}`, 'Show Log').then((choice) => {
      if (choice) log.show();
    });
    return undefined;
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
