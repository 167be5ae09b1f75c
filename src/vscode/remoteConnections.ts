// Outbound connections to `flotilla-agent serve` runners: the `flotilla.remote.connections` setting (name, ws:// or
// wss:// URL), each token in VS Code's SecretStorage (entered once with "Add Remote Connection…", never shown again,
// never in settings or logs). Each connection is a RunnerConnection that feeds the remote adapter.
import * as vscode from 'vscode';
import { z } from 'zod';
import { RunnerConnection } from '../adapters/remote/runnerConnection';
import type { RunnerConnectionOptions, RunnerConnectionState, RunnerStartAsk } from '../adapters/remote/runnerConnection';
import { runnerFleetAgent } from '../adapters/remote/runnerFleetAgents';
import type { Fleet } from '../core/fleet/fleet';
import type { Logger } from '../core/log';
import type { RunnerStartResult } from '../shared/protocol/runner';
import { Settings } from './ids';

const CONNECTIONS_SETTING = Settings.remoteConnections;
/** The SecretStorage keys of connections' tokens start with this (Attach and Open Diff read them too). */
export const SECRET_PREFIX = 'flotilla.remote.token.';

/**
 * The SecretStorage key of a connection's token: its name and the URL the token was entered for. A token is sent to
 * that URL only: a settings file that gives the name another URL (a cloned repository's `.vscode/settings.json`)
 * finds no token, instead of sending it there.
 */
export function connectionSecretKey(c: { readonly name: string; readonly url: string }): string {
  return `${SECRET_PREFIX}${c.name} ${c.url}`;
}

const ConnectionSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash or underscore (at most 64)'),
  url: z.string().regex(/^wss?:\/\/[^\s]+$/, 'a ws:// or wss:// URL'),
});
export type RemoteConnectionSetting = z.infer<typeof ConnectionSchema>;

/** The valid entries of the setting; each invalid one is reported with the field that is wrong. */
export function readConnections(value: unknown, warn: (message: string) => void): RemoteConnectionSetting[] {
  if (!Array.isArray(value)) return [];
  const out: RemoteConnectionSetting[] = [];
  value.forEach((entry, i) => {
    const parsed = ConnectionSchema.safeParse(entry);
    if (parsed.success) {
      if (out.some((c) => c.name === parsed.data.name)) warn(`flotilla.remote.connections[${i}].name: '${parsed.data.name}' is used twice; the first one counts`);
      else out.push(parsed.data);
    } else {
      const issue = parsed.error.issues[0]!;
      warn(`flotilla.remote.connections[${i}].${issue.path.join('.')}: ${issue.message}`);
    }
  });
  return out;
}

export interface RemoteConnectionsDeps {
  readonly secrets: vscode.SecretStorage;
  readonly fleet: Fleet;
  readonly log: Logger;
  readonly accept: RunnerConnectionOptions['accept'];
}

export class RemoteConnections implements vscode.Disposable {
  private readonly live = new Map<string, { readonly key: string; readonly connection: RunnerConnection }>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly _onDidChange = new vscode.EventEmitter<void>();
  /** A connection was added, removed or changed state (for a host node in the tree). */
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly deps: RemoteConnectionsDeps) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(`flotilla.${CONNECTIONS_SETTING}`) && void this.sync()),
      deps.secrets.onDidChange((e) => e.key.startsWith(SECRET_PREFIX) && void this.sync()),
    );
    void this.sync();
  }

  /** Each connection's name and state. */
  states(): { name: string; state: RunnerConnectionState }[] {
    return [...this.live].map(([name, { connection }]) => ({ name, state: connection.state }));
  }

  /** The connections that are connected now (New Agent can start agents on their runners). */
  connectedNames(): string[] {
    return this.states().filter((c) => c.state.phase === 'connected').map((c) => c.name);
  }

  /** Asks a connection's runner to start an agent (New Agent on a remote host, src/vscode/remoteNewAgent.ts). */
  start(name: string, ask: RunnerStartAsk): Promise<RunnerStartResult> {
    const live = this.live.get(name);
    return live ? live.connection.start(ask) : Promise.resolve({ type: 'start_result', request_id: '', ok: false, error: `no remote connection named '${name}'` });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const { connection } of this.live.values()) connection.dispose();
    this.live.clear();
    this._onDidChange.dispose();
  }

  private async sync(): Promise<void> {
    const settings = readConnections(vscode.workspace.getConfiguration('flotilla').get<unknown>(CONNECTIONS_SETTING, []), (m) => this.deps.log.warn(m));
    const wanted = new Map<string, { setting: RemoteConnectionSetting; token: string | undefined }>();
    for (const setting of settings) wanted.set(setting.name, { setting, token: await this.deps.secrets.get(connectionSecretKey(setting)) });
    for (const [name, { key, connection }] of this.live) {
      const want = wanted.get(name);
      if (!want || !want.token || key !== `${want.setting.url}\0${want.token}`) {
        connection.dispose();
        this.live.delete(name);
      }
    }
    for (const [name, { setting, token }] of wanted) {
      if (this.live.has(name)) continue;
      if (!token) {
        this.deps.log.warn(`remote connection '${name}': no token stored for ${setting.url}; run "Flotilla: Add Remote Connection…" with this name and URL`);
        continue;
      }
      try {
        const connection = new RunnerConnection({
          name,
          url: setting.url,
          token,
          accept: this.deps.accept,
          resolveAgent: (connectionName, agent, host) => runnerFleetAgent(this.deps.fleet, connectionName, agent, host),
          log: this.deps.log,
        });
        connection.onDidChangeState(() => this._onDidChange.fire());
        this.live.set(name, { key: `${setting.url}\0${token}`, connection });
      } catch (err) {
        this.deps.log.warn(err instanceof Error ? err.message : String(err));
      }
    }
    this._onDidChange.fire();
  }

  /** "Add Remote Connection…": a name, the URL and the token (a password box); the token goes to SecretStorage only. */
  async add(): Promise<void> {
    const config = vscode.workspace.getConfiguration('flotilla');
    const existing = readConnections(config.get<unknown>(CONNECTIONS_SETTING, []), () => undefined);
    const name = await vscode.window.showInputBox({
      title: 'Add Remote Connection (1/3)',
      prompt: 'A name for the machine that runs `flotilla-agent serve`',
      placeHolder: 'build-box',
      validateInput: (v) => (ConnectionSchema.shape.name.safeParse(v).success ? undefined : 'Letters, digits, dot, dash or underscore (at most 64).'),
    });
    if (!name) return;
    const url = await vscode.window.showInputBox({
      title: 'Add Remote Connection (2/3)',
      prompt: 'Its URL, as `flotilla-agent serve` printed it (through an SSH tunnel: ws://127.0.0.1:PORT)',
      value: existing.find((c) => c.name === name)?.url ?? 'ws://127.0.0.1:7311',
      validateInput: (v) => (ConnectionSchema.shape.url.safeParse(v).success ? undefined : 'A ws:// or wss:// URL.'),
    });
    if (!url) return;
    const token = await vscode.window.showInputBox({
      title: 'Add Remote Connection (3/3)',
      prompt: "The runner's token: the contents of its token file (~/.flotilla-agent/token on that machine). Stored in VS Code's secret storage, never shown again.",
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim().length >= 32 ? undefined : 'The token has at least 32 characters.'),
    });
    if (!token) return;
    await this.deps.secrets.store(connectionSecretKey({ name, url }), token.trim());
    const next = [...existing.filter((c) => c.name !== name), { name, url }];
    await config.update(CONNECTIONS_SETTING, next, vscode.ConfigurationTarget.Global);
    void vscode.window.showInformationMessage(`Flotilla connects to '${name}' (${url}); its agents appear in the Agents view.`);
  }
}
