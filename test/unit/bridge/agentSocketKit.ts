// Test kit for the agent socket: a real bridge on 127.0.0.1:0 with the socket server, a real fleet and approval
// queue, and a scripted agent speaking protocol v1 over a real `ws` client. Waits are for events, never for time.
import { once } from 'node:events';
import WebSocket from 'ws';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import type { ApprovalTimings } from '../../../src/core/approvals/approvalQueue';
import { BridgeServer } from '../../../src/core/bridge/bridgeServer';
import { AGENT_SOCKET_PATH, AgentSocketServer } from '../../../src/core/bridge/agentSocketServer';
import type { AgentSocketServerOptions } from '../../../src/core/bridge/agentSocketServer';
import { Emitter } from '../../../src/core/events';
import type { Fleet } from '../../../src/core/fleet/fleet';
import type { AgentSnapshot } from '../../../src/shared/agent';
import type { AgentFrame, Frame, FrameDraft, SupervisorFrame } from '../../../src/shared/protocol/frames';
import { parseFrameText } from '../../../src/shared/protocol/parse';
import type { EventFrame } from '../../../src/shared/protocol/event';
import type { SpanFrame } from '../../../src/shared/protocol/span';
import type { memoryLogger } from '../core/fleetKit';
import { newFleet } from '../core/fleetKit';

export interface Supervisor {
  readonly fleet: Fleet;
  readonly approvals: ApprovalQueue;
  readonly server: AgentSocketServer;
  readonly bridge: BridgeServer;
  readonly log: ReturnType<typeof memoryLogger>;
  readonly url: string;
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

export async function startSupervisor(options: Partial<AgentSocketServerOptions> = {}): Promise<Supervisor> {
  const { fleet, log } = newFleet();
  const spans: Supervisor['spans'] = [];
  const spanEvents = new Emitter<SpanFrame>();
  const events: Supervisor['events'] = [];
  const supervisor = {
    timings: { escalateAfterMs: 60_000, timeoutMs: 60_000 },
  } as Supervisor;
  const approvals = new ApprovalQueue(() => supervisor.timings);
  const bridge = new BridgeServer(log);
  const server = new AgentSocketServer(bridge.httpServer, {
    fleet,
    approvals,
    log,
    heartbeatTimeoutMs: 60_000,
    onSpan: (agentId, span) => {
      spans.push({ agentId, span });
      spanEvents.fire(span);
    },
    onEvent: (agentId, event) => events.push({ agentId, event }),
    ...options,
  });
  const { port } = await bridge.listen(0);
  Object.assign(supervisor, {
    fleet,
    approvals,
    server,
    bridge,
    log,
    spans,
    events,
    url: `ws://127.0.0.1:${port}${AGENT_SOCKET_PATH}`,
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
