// One outbound connection to a `flotilla-agent serve` runner (a setting: name, ws:// or wss:// URL, token in secret
// storage): dials its index, and for every agent it lists, that agent's protocol v1 session, handed to the remote
// adapter as if the agent had dialled in. Reconnects with exponential backoff and jitter; says how it is doing.
// New Agent on a remote host asks the runner over the index socket (`start`, answered by `start_result`).
import { WebSocket } from 'ws';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { Emitter } from '../../core/events';
import type { Disposable, Event } from '../../core/events';
import type { Logger } from '../../core/log';
import { MAX_FRAME_BYTES } from '../../shared/protocol/limits';
import { parseRunnerServerMessage, RUNNER_AGENT_PATH_PREFIX, RUNNER_INDEX_PATH, RunnerStartRequestSchema, SUPERVISOR_AGENT_ID_HEADER } from '../../shared/protocol/runner';
import type { RunnerAgent, RunnerIndexMessage, RunnerStartRequest, RunnerStartResult } from '../../shared/protocol/runner';

/** What New Agent asks a runner to start (the `start` request without its envelope). */
export type RunnerStartAsk = Omit<RunnerStartRequest, 'type' | 'request_id'>;

/** How long a `start` may take on the runner (making a worktree included) before the supervisor stops waiting. */
export const START_TIMEOUT_MS = 60_000;

export type RunnerConnectionState =
  | { readonly phase: 'connecting' }
  | { readonly phase: 'connected'; readonly host: string; readonly agents: number }
  | { readonly phase: 'reconnecting'; readonly nextAttemptAt: number; readonly reason: string }
  | { readonly phase: 'unauthorized'; readonly nextAttemptAt: number }
  | { readonly phase: 'closed' };

export interface RunnerConnectionOptions {
  /** The connection's name in the settings (shown on its node; part of its agents' identity). */
  readonly name: string;
  /** ws:// or wss:// base URL of the runner, e.g. ws://127.0.0.1:7311 */
  readonly url: string;
  readonly token: string;
  /** PEM certificate(s) to trust for a wss:// runner with its own (self-signed) certificate; default: the system's. */
  readonly ca?: string;
  /** The remote adapter: takes each agent's session socket. */
  readonly accept: (socket: WebSocket, remote: string, fleetAgentId: string) => boolean;
  /** The fleet agent for a runner agent (made when new); undefined to leave it out. */
  readonly resolveAgent: (connection: string, agent: RunnerAgent, host: string) => string | undefined;
  readonly log: Logger;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly random?: () => number;
  readonly now?: () => number;
}

interface AgentLink {
  socket: WebSocket | undefined;
  fleetId: string;
  retry: ReturnType<typeof setTimeout> | undefined;
  failures: number;
  /** What the runner last said: its process runs. */
  running: boolean;
  /** Flotilla closed the session with 1008 (it no longer follows the ended agent, or refused it): not dialled again. */
  finished: boolean;
}

/** The close code with which Flotilla's session ends an agent it no longer follows (or refuses). */
const CLOSE_POLICY = 1008;

export class RunnerConnection implements Disposable {
  private index: WebSocket | undefined;
  private readonly links = new Map<string, AgentLink>();
  private listed = new Set<string>();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private _state: RunnerConnectionState = { phase: 'connecting' };
  private readonly starts = new Map<string, { done: (result: RunnerStartResult) => void; timer: ReturnType<typeof setTimeout> }>();
  private startCount = 0;
  private readonly _onDidChangeState = new Emitter<RunnerConnectionState>();
  readonly onDidChangeState: Event<RunnerConnectionState> = this._onDidChangeState.event;

  constructor(private readonly options: RunnerConnectionOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new Error(`remote connection '${options.name}': url: expected ws:// or wss://, got ${url.protocol}`);
    this.dial();
  }

  get state(): RunnerConnectionState {
    return this._state;
  }

  /** Drops the index and every agent session now (as if the network failed), then reconnects as usual. For tests and "Reconnect". */
  dropNow(): void {
    this.index?.terminate();
    for (const link of this.links.values()) link.socket?.terminate();
  }

  /**
   * Asks the runner to start an agent, exactly as `flotilla-agent run` would there. Resolves with the runner's answer,
   * or a refusal that says why it could not be asked (not connected, the connection dropped, no answer in time).
   */
  start(ask: RunnerStartAsk, timeoutMs = START_TIMEOUT_MS): Promise<RunnerStartResult> {
    const requestId = `s${++this.startCount}-${Date.now().toString(36)}`;
    const refuse = (error: string): RunnerStartResult => ({ type: 'start_result', request_id: requestId, ok: false, error });
    const request = RunnerStartRequestSchema.safeParse({ type: 'start', request_id: requestId, ...ask });
    if (!request.success) {
      const issue = request.error.issues[0]!;
      return Promise.resolve(refuse(`start.${issue.path.join('.')}: ${issue.message}`));
    }
    const socket = this.index;
    if (this.disposed || !socket || socket.readyState !== WebSocket.OPEN || this._state.phase !== 'connected') {
      return Promise.resolve(refuse(`'${this.options.name}' is not connected (${this._state.phase})`));
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settleStart(requestId, refuse(`'${this.options.name}' did not answer within ${Math.ceil(timeoutMs / 1000)} s`)), timeoutMs);
      this.starts.set(requestId, { done: resolve, timer });
      socket.send(JSON.stringify(request.data), (err) => err && this.settleStart(requestId, refuse(`could not reach '${this.options.name}': ${err.message}`)));
    });
  }

  private settleStart(requestId: string, result: RunnerStartResult): void {
    const pending = this.starts.get(requestId);
    if (!pending) return;
    this.starts.delete(requestId);
    clearTimeout(pending.timer);
    pending.done(result);
  }

  /** Every start still waiting gets `why` (the index closed, or Flotilla closed the connection). */
  private failStarts(why: string): void {
    for (const id of [...this.starts.keys()]) this.settleStart(id, { type: 'start_result', request_id: id, ok: false, error: why });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.failStarts(`Flotilla closed the connection to '${this.options.name}'`);
    clearTimeout(this.timer);
    this.index?.close(1000, 'Flotilla closed this connection');
    for (const link of this.links.values()) {
      clearTimeout(link.retry);
      link.socket?.close(1000, 'Flotilla closed this connection');
    }
    this.links.clear();
    this.setState({ phase: 'closed' });
    this._onDidChangeState.dispose();
  }

  private base(): string {
    return this.options.url.replace(/\/+$/, '');
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.options.token}`, ...extra };
  }

  private tls(): { ca?: string } {
    return this.options.ca === undefined ? {} : { ca: this.options.ca };
  }

  private dial(): void {
    if (this.disposed) return;
    this.setState({ phase: 'connecting' });
    const socket = new WebSocket(`${this.base()}${RUNNER_INDEX_PATH}`, { headers: this.headers(), maxPayload: MAX_FRAME_BYTES * 4, handshakeTimeout: 10_000, ...this.tls() });
    this.index = socket;
    let unauthorized = false;
    let reason = 'connection failed';
    let answered: string | undefined;
    socket.on('unexpected-response', (_req: ClientRequest, res: IncomingMessage) => {
      unauthorized = res.statusCode === 401;
      answered = `the runner answered HTTP ${res.statusCode ?? '?'}`;
      res.resume();
      // With this listener ws leaves the handshake open: end it (emits error, then close).
      socket.terminate();
    });
    socket.on('error', (err) => {
      reason = answered ?? err.message;
    });
    socket.on('open', () => {
      this.attempt = 0;
      this.options.log.info(`remote connection '${this.options.name}': connected to ${this.base()}`);
    });
    socket.on('message', (data) => this.onIndex(Buffer.isBuffer(data) ? data.toString('utf8') : String(data)));
    socket.on('close', () => {
      if (this.index !== socket) return;
      this.index = undefined;
      this.listed = new Set();
      this.failStarts(`the connection to '${this.options.name}' dropped before the runner answered (the agent may have started: see the Agents view)`);
      this.scheduleReconnect(unauthorized, reason);
    });
  }

  private scheduleReconnect(unauthorized: boolean, reason: string): void {
    if (this.disposed) return;
    const initial = this.options.initialDelayMs ?? 1000;
    const max = this.options.maxDelayMs ?? 30_000;
    const exp = Math.min(max, initial * 2 ** Math.min(this.attempt, 20));
    // Full backoff for a wrong token (it will not fix itself soon); jitter keeps many windows from dialling in step.
    const delay = Math.round((unauthorized ? max : exp) * (0.5 + (this.options.random ?? Math.random)() * 0.5));
    this.attempt++;
    const nextAttemptAt = (this.options.now ?? Date.now)() + delay;
    this.setState(unauthorized ? { phase: 'unauthorized', nextAttemptAt } : { phase: 'reconnecting', nextAttemptAt, reason });
    this.options.log.info(`remote connection '${this.options.name}': ${unauthorized ? 'authentication failed' : reason}; next attempt in ${Math.round(delay / 1000)} s`);
    this.timer = setTimeout(() => this.dial(), delay);
  }

  private onIndex(text: string): void {
    const parsed = parseRunnerServerMessage(text);
    if (!parsed.ok) {
      this.options.log.warn(`remote connection '${this.options.name}': ${parsed.error}`);
      return;
    }
    if (parsed.message.type === 'start_result') {
      if (this.starts.has(parsed.message.request_id)) this.settleStart(parsed.message.request_id, parsed.message);
      else this.options.log.warn(`remote connection '${this.options.name}': an answer to no start request of ours (${parsed.message.request_id || 'no id'})${parsed.message.ok ? '' : `: ${parsed.message.error}`}`);
      return;
    }
    this.onAgents(parsed.message);
  }

  private onAgents(message: RunnerIndexMessage): void {
    const { host, agents } = message;
    this.listed = new Set(agents.map((a) => a.id));
    for (const agent of agents) {
      let link = this.links.get(agent.id);
      if (link && !link.running && agent.running) {
        // Ended, now running again: a new run under the same name (New Agent or `run` again) gets a row of its own.
        clearTimeout(link.retry);
        link.socket?.close(1000, 'a new run of this agent');
        this.links.delete(agent.id);
        link = undefined;
      }
      if (!link) {
        const fleetId = this.options.resolveAgent(this.options.name, agent, host);
        if (fleetId === undefined) continue;
        link = { socket: undefined, fleetId, retry: undefined, failures: 0, running: agent.running, finished: false };
        this.links.set(agent.id, link);
      }
      link.running = agent.running;
      if (!link.socket && !link.retry && !link.finished) this.dialAgent(agent.id, link);
    }
    for (const [id, link] of this.links) {
      if (this.listed.has(id)) continue;
      clearTimeout(link.retry);
      link.socket?.close(1000, 'the runner no longer lists this agent');
      this.links.delete(id);
    }
    this.setState({ phase: 'connected', host, agents: agents.length });
  }

  private dialAgent(runnerId: string, link: AgentLink): void {
    link.retry = undefined;
    if (this.disposed || !this.index || !this.listed.has(runnerId)) return;
    const socket = new WebSocket(`${this.base()}${RUNNER_AGENT_PATH_PREFIX}${encodeURIComponent(runnerId)}`, {
      headers: this.headers({ [SUPERVISOR_AGENT_ID_HEADER]: link.fleetId }),
      maxPayload: MAX_FRAME_BYTES,
      handshakeTimeout: 10_000,
      ...this.tls(),
    });
    link.socket = socket;
    socket.on('error', (err) => this.options.log.debug(`remote connection '${this.options.name}', agent ${runnerId}: ${err.message}`));
    socket.on('open', () => {
      link.failures = 0;
      // The session reads the runner's hello from here on; it reports connected/lost like an inbound agent.
      if (!this.options.accept(socket, `${this.options.name}/${runnerId}`, link.fleetId)) socket.close(1001, 'Flotilla is not ready');
    });
    socket.on('close', (code) => {
      if (link.socket !== socket) return;
      link.socket = undefined;
      if (code === CLOSE_POLICY) {
        // Flotilla's session ended it (the agent ended and is no longer followed): dialling again would bring the
        // ended run back to life in the tree. A new run of the same name is dialled (onAgents).
        link.finished = true;
        return;
      }
      if (this.disposed || !this.index || !this.listed.has(runnerId)) return;
      // The index is up and lists it: this agent's session dropped alone; dial it again soon.
      const delay = Math.min(10_000, 250 * 2 ** Math.min(link.failures++, 6));
      link.retry = setTimeout(() => this.dialAgent(runnerId, link), delay);
    });
  }

  private setState(state: RunnerConnectionState): void {
    this._state = state;
    if (!this.disposed || state.phase === 'closed') this._onDidChangeState.fire(state);
  }
}
