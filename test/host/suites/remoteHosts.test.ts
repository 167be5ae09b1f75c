// Remote connections in the Agents tree, in a real extension host: a runner endpoint (the runner's real PublicServer
// and outbox) on a loopback port, the `flotilla.remote.connections` setting and a token in secret storage, the real
// RemoteConnections dialling it into a real remote adapter: the tree shows a host node with its state and the
// runner's agent under it; when the runner goes away the host says it reconnects and when.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as vscode from 'vscode';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import { Fleet } from '../../../src/core/fleet/fleet';
import type { AgentSnapshot } from '../../../src/shared/agent';
import { AgentsTreeProvider } from '../../../src/vscode/agentsTree';
import { connectionSecretKey, RemoteConnections } from '../../../src/vscode/remoteConnections';
import { isHostNode } from '../../../src/vscode/remoteConnectionsTree';
import { MemoryPersistence, memoryLogger } from '../../unit/core/fleetKit';
import { startRemoteCore } from '../../unit/remote/remoteKit';
import { startRunnerEndpoint } from '../../unit/runner/runnerEndpoint';
import type { RunnerEndpoint } from '../../unit/runner/runnerEndpoint';
import { readFileSync } from 'node:fs';
import { until } from '../hostWait';

/** Secret storage kept in memory (the extension's own is bound to its context). */
function memorySecrets(): vscode.SecretStorage & vscode.Disposable {
  const values = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  return {
    get: async (key) => values.get(key),
    store: async (key, value) => {
      values.set(key, value);
      changed.fire({ key });
    },
    delete: async (key) => {
      values.delete(key);
      changed.fire({ key });
    },
    keys: async () => [...values.keys()],
    onDidChange: changed.event,
    dispose: () => changed.dispose(),
  } as vscode.SecretStorage & vscode.Disposable;
}

describe('remote connections as host nodes in the Agents tree', function () {
  this.timeout(60_000);
  const config = () => vscode.workspace.getConfiguration('flotilla');
  let endpoint: RunnerEndpoint | undefined;
  const disposables: { dispose(): void }[] = [];

  beforeEach(async () => {
    // Host nodes show when the tree is not grouped (another suite may have left a grouping behind).
    await config().update('agents.groupBy', undefined, vscode.ConfigurationTarget.Global);
  });

  afterEach(async () => {
    for (const d of disposables.splice(0).reverse()) d.dispose();
    endpoint?.dispose();
    endpoint = undefined;
    await config().update('remote.connections', undefined, vscode.ConfigurationTarget.Global);
  });

  it('shows each connection with its state and the runner agents under it', async () => {
    endpoint = await startRunnerEndpoint(['fixer']);
    const log = memoryLogger();
    const fleet = new Fleet(new MemoryPersistence(), log);
    const approvals = new ApprovalQueue(() => ({ escalateAfterMs: 600_000, timeoutMs: 600_000 }));
    const core = startRemoteCore(http.createServer(), { fleet, approvals, log });
    const secrets = memorySecrets();
    await secrets.store(connectionSecretKey({ name: 'box', url: endpoint.url }), readFileSync(endpoint.tokenFile, 'utf8').trim());
    await config().update('remote.connections', [{ name: 'box', url: endpoint.url }], vscode.ConfigurationTarget.Global);
    const connections = new RemoteConnections({ secrets, fleet, log, accept: (socket, remote, id) => core.adapter.acceptDialed(socket, remote, id) });
    const tree = new AgentsTreeProvider(fleet, () => false, undefined, undefined, undefined, connections);
    disposables.push(fleet, approvals, core, secrets, connections, tree);
    const seen = (): string =>
      `${JSON.stringify(tree.getChildren().map((n) => `${String(tree.getTreeItem(n).label)}: ${String(tree.getTreeItem(n).description)}`))} ${JSON.stringify(connections.states())} log: ${log.lines.slice(-8).join(' | ')}`;
    // A local agent stays at the root, beside the host.
    fleet.create({ name: 'local', kind: 'custom', cwd: '/tmp', command: 'sleep 1' });

    const host = await until('the host node, connected with its agent', () => {
      const node = tree.getChildren().find(isHostNode);
      return node && /^connected to endpoint · 1 agent$/.test(String(tree.getTreeItem(node).description)) ? node : undefined;
    }, seen);
    const item = tree.getTreeItem(host);
    assert.equal(item.label, 'box');
    assert.equal(item.contextValue, 'remoteHost connected');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'remote');
    const under = tree.getChildren(host) as AgentSnapshot[];
    assert.deepEqual(under.map((a) => a.name), ['fixer (endpoint)']);
    assert.deepEqual(tree.getParent(under[0]!), host);
    assert.deepEqual(tree.getChildren().filter((n) => !isHostNode(n)).map((n) => (n as AgentSnapshot).name), ['local']);
    const connected = await until('the agent connected', () => (core.adapter.isConnected(under[0]!.id) ? true : undefined), seen);
    assert.equal(connected, true);

    // The runner goes away: the host says it reconnects, and when.
    endpoint.dispose();
    endpoint = undefined;
    const description = await until('the host reconnecting', () => {
      const node = tree.getChildren().find(isHostNode);
      const words = node && String(tree.getTreeItem(node).description);
      return words?.startsWith('reconnecting') ? words : undefined;
    }, seen);
    assert.match(description, /^reconnecting, next attempt in \d+ s \(.+\) · 1 agent$/);
  });

  it('sends a token only to the URL it was entered for: the same name at another URL is not dialled', async () => {
    endpoint = await startRunnerEndpoint(['fixer']);
    const log = memoryLogger();
    const fleet = new Fleet(new MemoryPersistence(), log);
    const secrets = memorySecrets();
    await secrets.store(connectionSecretKey({ name: 'box', url: endpoint.url }), readFileSync(endpoint.tokenFile, 'utf8').trim());
    // A settings file (say a cloned repository's) that points the name elsewhere.
    await config().update('remote.connections', [{ name: 'box', url: 'ws://127.0.0.1:9/elsewhere' }], vscode.ConfigurationTarget.Global);
    const connections = new RemoteConnections({ secrets, fleet, log, accept: () => false });
    disposables.push(fleet, secrets, connections);
    await until('the warning', () => (log.lines.some((l) => l.includes("remote connection 'box': no token stored for ws://127.0.0.1:9/elsewhere")) ? true : undefined), () => log.lines.join(' | '));
    assert.deepEqual(connections.states(), [], 'nothing dialled');
  });
});
