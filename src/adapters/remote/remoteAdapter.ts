// The remote agent kind (protocol v1): agents that run elsewhere and connect to the bridge's WebSocket. Not launchable
// here (no plan); activated once, it takes the transport's connections and reports what they say as facts; its
// control (stop, pause, resume, message) is a control frame on the agent's live connection.
import type { AdapterHost, AgentAdapter, AgentCapabilities, AgentSignalSink } from '../../core/agents/agentAdapter';
import type { AgentSocketHandler } from '../../core/bridge/agentSocketServer';
import { DisposableStore, Emitter } from '../../core/events';
import type { Disposable, Event } from '../../core/events';
import type { AgentSnapshot } from '../../shared/agent';
import type { WebSocket } from 'ws';
import type { ControlAction } from '../../shared/protocol/control';
import { DIALED_HELLO_TOKEN } from '../../shared/protocol/runner';
import { CLOSE_CODES } from './remoteClose';
import { RemoteControl } from './remoteControl';
import { RemoteSessions } from './remoteSessions';
import type { RemoteConnectionChange, RemoteSessionsOptions } from './remoteSessions';

/** The transport side: the bridge's AgentSocketServer. */
export interface RemoteTransport {
  handle(handler: AgentSocketHandler): Disposable;
}

export type RemoteAdapterOptions = Omit<RemoteSessionsOptions, 'sink' | 'agentByToken' | 'log'> & { readonly transport: RemoteTransport };

/** The reason shown until the agent's first hello. */
export const WAITING_FOR_CONNECTION = 'no hello yet: start the agent with its connection details (they can be issued again)';

export const REMOTE_CAPABILITIES: AgentCapabilities = {
  blockingApprovals: true,
  usage: 'reported',
  spans: true,
  controls: ['stop', 'pause', 'resume', 'message'],
  location: 'remote',
};

export class RemoteAdapter implements AgentAdapter {
  readonly kind = 'remote' as const;
  readonly label = 'Remote agent';
  readonly capabilities = REMOTE_CAPABILITIES;
  /** Stop, pause, resume and message for remote agents: hand it to whoever acts for the user (commands, budgets). */
  readonly control: RemoteControl;
  private sessions: RemoteSessions | undefined;
  private host: AdapterHost | undefined;
  private readonly _onDidChangeConnection = new Emitter<RemoteConnectionChange>();
  /** An agent's connection became ready (after the welcome) or went away. */
  readonly onDidChangeConnection: Event<RemoteConnectionChange> = this._onDidChangeConnection.event;

  constructor(private readonly options: RemoteAdapterOptions) {
    this.control = new RemoteControl(
      { isConnected: (id) => this.isConnected(id), sendControl: (id, action, text) => this.sendControl(id, action, text) },
      () => this.host?.log,
    );
  }

  /** Takes the transport's connections; disposing ends every connection (agents reported disconnected at once). */
  activate(host: AdapterHost): Disposable {
    if (this.sessions) throw new Error('the remote adapter is active already');
    const d = new DisposableStore();
    const sessions = new RemoteSessions({
      ...this.options,
      sink: host.sink,
      agentByToken: (token) => host.agentByToken(token),
      log: host.log,
    });
    this.sessions = sessions;
    this.host = host;
    d.add({
      dispose: () => {
        this.sessions = undefined;
        this.host = undefined;
      },
    });
    d.add(sessions.onDidChangeConnection((change) => this._onDidChangeConnection.fire(change)));
    d.add(this.options.transport.handle(sessions.accept));
    // Disposed first (newest first): connections end while the sink still listens.
    d.add(sessions);
    return d;
  }

  /**
   * Per agent: a registered agent that has not said hello waits for its connection; its live connection lasts as long
   * as its scope (the core lets go of an agent that was removed, or ended a while ago: the connection is closed).
   */
  attach(agent: AgentSnapshot, sink: AgentSignalSink, scope: DisposableStore): void {
    if (!this.isConnected(agent.id)) sink.signal(agent.id, { type: 'waiting', for: 'connection', detail: WAITING_FOR_CONNECTION });
    scope.add({
      dispose: () => {
        const why = this.host?.agent(agent.id) === undefined ? 'agent removed from the fleet' : 'Flotilla no longer follows this agent (it ended)';
        this.sessions?.end(agent.id, CLOSE_CODES.policyViolation, why);
      },
    });
  }

  /**
   * Sends a control frame to a connected agent; false when it is not connected. Throws FrameEncodeError when the
   * frame is invalid (a 'message' needs non-empty text of at most 16 384 characters). Prefer `control`.
   */
  sendControl(agentId: string, action: ControlAction, text?: string): boolean {
    return this.sessions?.sendControl(agentId, action, text) ?? false;
  }

  /**
   * A session Flotilla dialled (a `flotilla-agent serve` runner, see runnerConnection): the runner speaks as the
   * agent on `socket`, and its hello must name `agentId`, the fleet agent Flotilla made for it. The upgrade request
   * carried the runner's token, so the hello carries the placeholder DIALED_HELLO_TOKEN. False when not active.
   */
  acceptDialed(socket: WebSocket, remote: string, agentId: string): boolean {
    const sessions = this.sessions;
    const host = this.host;
    if (!sessions || !host) return false;
    sessions.accept({ ws: socket, remote, trust: () => undefined }, (token) => {
      const agent = host.agent(agentId);
      return token === DIALED_HELLO_TOKEN && agent?.kind === 'remote' ? agent : undefined;
    });
    return true;
  }

  isConnected(agentId: string): boolean {
    return this.sessions?.isConnected(agentId) ?? false;
  }

  connectedAgentIds(): string[] {
    return this.sessions?.connectedAgentIds() ?? [];
  }
}
