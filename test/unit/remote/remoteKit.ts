// Test kit for remote agents: a real bridge on 127.0.0.1:0 with the agent socket transport and the remote adapter
// wired to the core as the composition root wires it (signal router, gate chain, approval queue, stall watch, per-agent
// scopes), a real fleet, and a scripted agent speaking protocol v1 over a real `ws` client. Waits are for events.
import type * as http from 'node:http';
import { once } from 'node:events';
import WebSocket from 'ws';
import { AgentRegistry } from '../../../src/core/agents/agentRegistry';
import { ActionApprover } from '../../../src/core/approvals/actionApprover';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import type { ApprovalTimings } from '../../../src/core/approvals/approvalQueue';
import { gateChain, policyAsGate } from '../../../src/core/approvals/gateChain';
import type { ActionPolicy } from '../../../src/core/approvals/policyGate';
import { BridgeServer } from '../../../src/core/bridge/bridgeServer';
import { AGENT_SOCKET_PATH } from '../../../src/core/bridge/agentSocketServer';
import type { FrameRate } from '../../../src/core/bridge/frameRateLimiter';
import { systemClock } from '../../../src/core/clock';
import { DisposableStore, Emitter } from '../../../src/core/events';
import type { Disposable, Event } from '../../../src/core/events';
import { AgentScopes } from '../../../src/core/fleet/agentScopes';
import type { Fleet } from '../../../src/core/fleet/fleet';
import { SignalRouter } from '../../../src/core/fleet/signalRouter';
import { StallWatch } from '../../../src/core/fleet/stallWatch';
import type { Logger } from '../../../src/core/log';
import { startRemoteAgents } from '../../../src/adapters/remote/remoteAgents';
import type { RemoteAdapter, RemoteAdapterOptions } from '../../../src/adapters/remote/remoteAdapter';
import type { RemoteConnectionChange } from '../../../src/adapters/remote/remoteSessions';
import type { AgentSnapshot, Usage } from '../../../src/shared/agent';
import type { AgentFrame, Frame, FrameDraft, SupervisorFrame } from '../../../src/shared/protocol/frames';
import type { ControlAction } from '../../../src/shared/protocol/control';
import { parseFrameText } from '../../../src/shared/protocol/parse';
import type { EventFrame } from '../../../src/shared/protocol/event';
import type { SpanFrame } from '../../../src/shared/protocol/span';
import type { memoryLogger } from '../core/fleetKit';
import { newFleet } from '../core/fleetKit';

export interface RemoteCoreOptions extends Omit<RemoteAdapterOptions, 'transport' | 'stallTimeoutMs'> {
  readonly fleet: Fleet;
  readonly approvals: ApprovalQueue;
  readonly log: Logger;
  /** Without one no gate decides: every approval request waits for a human. */
  readonly policy?: ActionPolicy;
  readonly priceUsage?: (model: string, usage: Usage) => number | undefined;
  /** The stall threshold (default 60 s). */
  readonly stallMs?: number;
}

export interface RemoteCore extends Disposable {
  readonly adapter: RemoteAdapter;
  readonly router: SignalRouter;
}

/** Remote agents on `httpServer`, wired to the core's sink and scopes like the composition root does. */
export function startRemoteCore(httpServer: http.Server, options: RemoteCoreOptions): RemoteCore {
  const { fleet, approvals, log, policy, priceUsage, stallMs = 60_000, ...adapterOptions } = options;
  const d = new DisposableStore();
  const stall = d.add(new StallWatch({ fleet, clock: systemClock, stallMs: () => stallMs, watches: () => true }));
  const approver = new ActionApprover(gateChain(policy ? [policyAsGate(policy)] : []), approvals, log);
  const router = new SignalRouter({ fleet, approver, approvals, log, stall, price: priceUsage });
  const registry = new AgentRegistry();
  const scopes = d.add(new AgentScopes(fleet, registry, router, log));
  const host = { sink: router, log, agentByToken: (token: string) => remoteByToken(fleet, token), agent: (id: string) => fleet.get(id) };
  // Disposed before the scopes: shutting down ends connections as going away, not as agents Flotilla let go of.
  const remote = d.add(startRemoteAgents(httpServer, host, { ...adapterOptions, stallTimeoutMs: () => stallMs }));
  registry.register(remote.adapter);
  scopes.start();
  return { adapter: remote.adapter, router, dispose: () => d.dispose() };
}

/** The core's token lookup for this kind (AdapterHost.agentByToken). */
function remoteByToken(fleet: Fleet, token: string): AgentSnapshot | undefined {
  const agent = fleet.findByToken(token);
  return agent?.kind === 'remote' ? agent : undefined;
}

export interface SupervisorOptions {
  /** The stall threshold; the welcome asks for heartbeats every third of it. */
  readonly heartbeatTimeoutMs?: number;
  readonly helloTimeoutMs?: number;
  readonly policy?: ActionPolicy;
  readonly priceUsage?: (model: string, usage: Usage) => number | undefined;
  readonly frameRate?: FrameRate;
  readonly maxPendingApprovals?: number;
}

/** The agent socket as the rest of Flotilla sees it: connection state and control frames, ended together. */
export interface RemoteEndpoint {
  isConnected(agentId: string): boolean;
  connectedAgentIds(): string[];
  sendControl(agentId: string, action: ControlAction, text?: string): boolean;
  readonly onDidChangeConnection: Event<RemoteConnectionChange>;
  /** Ends every connection as Flotilla does when it shuts down. */
  dispose(): void;
}

export interface Supervisor {
  readonly fleet: Fleet;
  readonly approvals: ApprovalQueue;
  readonly adapter: RemoteAdapter;
  /** The core's signal router: its onDidSignal carries every fact (a TraceService listens there). */
  readonly router: SignalRouter;
  readonly server: RemoteEndpoint;
  readonly bridge: BridgeServer;
  readonly log: ReturnType<typeof memoryLogger>;
  readonly url: string;
  readonly bridgeUrl: string;
  readonly spans: Array<{ agentId: string; span: SpanFrame }>;
  readonly events: Array<{ agentId: string; event: EventFrame }>;
  /** Resolves with the first span (seen or still to come) that matches. */
  span(match: (span: SpanFrame) => boolean): Promise<SpanFrame>;
  /** Mutable: the queue reads it on each request. */
  timings: ApprovalTimings;
  /** A registered remote agent and its token. */
  addAgent(name?: string): { agent: AgentSnapshot; token: string };
  dispose(): Promise<void>;
}

export async function startSupervisor(options: SupervisorOptions = {}): Promise<Supervisor> {
  const { fleet, log } = newFleet();
  const spans: Supervisor['spans'] = [];
  const spanEvents = new Emitter<SpanFrame>();
  const events: Supervisor['events'] = [];
  const supervisor = {
    timings: { escalateAfterMs: 60_000, timeoutMs: 60_000 },
  } as Supervisor;
  const stallTimeoutMs = options.heartbeatTimeoutMs ?? 60_000;
  const approvals = new ApprovalQueue(() => supervisor.timings);
  const bridge = new BridgeServer(log);
  const remote = startRemoteCore(bridge.httpServer, {
    fleet,
    approvals,
    log,
    policy: options.policy,
    priceUsage: options.priceUsage,
    stallMs: stallTimeoutMs,
    helloTimeoutMs: options.helloTimeoutMs,
    frameRate: options.frameRate,
    maxPendingApprovals: options.maxPendingApprovals,
    onSpan: (agentId, span) => {
      spans.push({ agentId, span });
      spanEvents.fire(span);
    },
    onEvent: (agentId, event) => events.push({ agentId, event }),
  });
  const adapter = remote.adapter;
  const server: RemoteEndpoint = {
    isConnected: (agentId) => adapter.isConnected(agentId),
    connectedAgentIds: () => adapter.connectedAgentIds(),
    sendControl: (agentId, action, text) => adapter.sendControl(agentId, action, text),
    onDidChangeConnection: adapter.onDidChangeConnection,
    dispose: () => remote.dispose(),
  };
  const { port } = await bridge.listen(0);
  Object.assign(supervisor, {
    fleet,
    approvals,
    adapter,
    router: remote.router,
    server,
    bridge,
    log,
    spans,
    events,
    url: `ws://127.0.0.1:${port}${AGENT_SOCKET_PATH}`,
    bridgeUrl: `http://127.0.0.1:${port}`,
    addAgent: (name = fleet.suggestName('remote')) => fleet.create({ name, kind: 'remote', cwd: '/remote/work' }),
    span: (match: (span: SpanFrame) => boolean) => {
      const seen = spans.find((s) => match(s.span));
      if (seen) return Promise.resolve(seen.span);
      return new Promise<SpanFrame>((resolve) => {
        const listener = spanEvents.event((span) => {
          if (match(span)) {
            listener.dispose();
            resolve(span);
          }
        });
      });
    },
    dispose: async () => {
      spanEvents.dispose();
      server.dispose();
      approvals.dispose();
      bridge.dispose();
      fleet.dispose();
      if (bridge.httpServer.listening) await once(bridge.httpServer, 'close');
    },
  });
  return supervisor;
}

export interface Closed {
  readonly code: number;
  readonly reason: string;
}

/** An agent over a real WebSocket: numbers its frames, and checks every supervisor frame against the protocol. */
export class TestAgent {
  readonly received: SupervisorFrame[] = [];
  /** Supervisor messages that did not parse as protocol frames (must stay empty). */
  readonly invalid: string[] = [];
  readonly closed: Promise<Closed>;
  private seq = 0;
  private readonly waiters: Array<{ match: (f: SupervisorFrame) => boolean; resolve: (f: SupervisorFrame) => void }> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const result = parseFrameText(new Uint8Array(data), { from: 'supervisor' });
      if (!result.ok) {
        this.invalid.push(`${result.error.message} in ${data.toString('utf8')}`);
        return;
      }
      const frame = result.frame as SupervisorFrame;
      this.received.push(frame);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(frame)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(frame);
        }
      }
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
    // A refused upgrade or a reset connection must fail the test, not crash mocha with an unhandled 'error'.
    ws.on('error', () => undefined);
  }

  static async connect(url: string): Promise<TestAgent> {
    const ws = new WebSocket(url);
    const agent = new TestAgent(ws);
    await once(ws, 'open');
    return agent;
  }

  /** Connects and completes the handshake; resolves with the welcome. */
  static async hello(url: string, agentId: string, token: string, extra: Record<string, unknown> = {}): Promise<{ agent: TestAgent; welcome: Frame }> {
    const agent = await TestAgent.connect(url);
    agent.send({ type: 'hello', v: 1, agent_id: agentId, name: 'Remote test agent', kind: 'remote', token, capabilities: ['heartbeats', 'spans', 'approvals', 'control'], ...extra } as FrameDraft<AgentFrame>);
    const first = await agent.next(() => true);
    if (first.type !== 'welcome') throw new Error(`expected welcome, got ${JSON.stringify(first)}`);
    return { agent, welcome: first };
  }

  get nextSeq(): number {
    return this.seq;
  }

  /** Sends a frame with the next seq; returns the seq used. */
  send(frame: FrameDraft<AgentFrame> | Record<string, unknown>): number {
    const seq = this.seq++;
    this.ws.send(JSON.stringify({ ...frame, seq }));
    return seq;
  }

  /** Sends text as is (for malformed frames); does not use a seq. */
  sendRaw(text: string): void {
    this.ws.send(text);
  }

  /** The first frame (already received or still to come) that matches, in arrival order. */
  next<T extends SupervisorFrame = SupervisorFrame>(match: (f: SupervisorFrame) => boolean): Promise<T> {
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen as T);
    return new Promise((resolve) => this.waiters.push({ match, resolve: (f) => resolve(f as T) }));
  }

  /** The next frame that arrives after this call and matches. */
  upcoming<T extends SupervisorFrame = SupervisorFrame>(match: (f: SupervisorFrame) => boolean): Promise<T> {
    return new Promise((resolve) => this.waiters.push({ match, resolve: (f) => resolve(f as T) }));
  }

  /** Resolves when the supervisor has acked `seq` (acks are cumulative). */
  acked(seq: number): Promise<SupervisorFrame> {
    return this.next((f) => f.type === 'ack' && f.ack_seq >= seq);
  }

  async close(code = 1000, reason = 'done'): Promise<Closed> {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code, reason);
    return this.closed;
  }
}

/** Resolves with the agent's snapshot once it matches (now or after a later change). */
export function agentWhen(fleet: Fleet, agentId: string, match: (a: AgentSnapshot) => boolean): Promise<AgentSnapshot> {
  const now = fleet.get(agentId);
  if (now && match(now)) return Promise.resolve(now);
  return new Promise((resolve) => {
    const listener = fleet.onDidChangeAgent((agent) => {
      if (agent.id === agentId && match(agent)) {
        listener.dispose();
        resolve(agent);
      }
    });
  });
}

/** Resolves when the server reports the agent connected or disconnected. */
export function connectionChange(sup: Supervisor, agentId: string, connected: boolean): Promise<void> {
  return new Promise((resolve) => {
    const listener = sup.server.onDidChangeConnection((change) => {
      if (change.agentId === agentId && change.connected === connected) {
        listener.dispose();
        resolve();
      }
    });
  });
}
