// The contract suite every agent adapter passes (issue 10): a scripted session in, the expected facts out.
//
// HOW TO USE IT (one file per kind, e.g. test/unit/codex/codexContract.test.ts):
//
//   import { adapterContract } from '../../kit/adapterContract';
//   adapterContract('Codex', async (ctx) => ({
//     adapter: new CodexAdapter({ ... }),       // the real adapter
//     driver: {
//       // Make the adapter SEE one whole session as the real agent would produce it: hook payloads POSTed to the
//       // route the adapter registered (ctx.bridgeUrl + its path, `Authorization: Bearer ${agent.token}`), lines
//       // appended to the session log / transcript it watches, frames on its socket. Resolve when the agent side is
//       // done writing; the kit then waits (up to 5 s) for the facts.
//       playSession: async (agent) => { ... },
//       // Make the agent ask permission for ONE tool call through the adapter and resolve with what the agent was
//       // told: 'allow' | 'deny' | 'ask' ('ask' = the agent's own check decides; also a neutral reply).
//       requestApproval: async (agent) => { ... },
//     },
//     dispose: async () => { ... },             // optional: stop servers the setup started
//   }));
//
// What the suite checks, in a fresh temp dir with a real Fleet, a real BridgeServer on 127.0.0.1:0 and the core's
// bridgeAdapterHost (routes authenticated by the agent's token):
//   1. playSession yields, for that agent and in this order: session started, turn started, tool started, tool
//      ended (or failed), turn ended (or interrupted/failed), session ended; and (unless capabilities.usage is
//      'none' or expectUsage is false) at least one usage fact with tokens, before the kit's 5 s deadline. The same
//      facts through the real SignalRouter leave the agent `done` with those tokens counted.
//   2. approvals go through sink.approve (the kit's sink answers deny, then allow, then ask) and the agent is told
//      exactly that: never an allow the sink did not give.
//   3. disposing the agent's scope releases every watcher and timer the adapter made for it (counted with
//      process.getActiveResourcesInfo(): Timeout, FSEventWrap, StatWatcher).
//   4. containment: a sink that throws on every fact does not make playSession fail, and an attach that throws
//      marks only that agent failed (through the core's AgentScopes), with the reason.
// Options: `expectTools: false` for kinds that report no tool calls (a custom command), `expectSession: false` for
// kinds without sessions; `requestApproval` may be omitted when capabilities.blockingApprovals is false;
// `endsWithProcessExit: true` for kinds whose end only the host knows (a custom command): playSession runs the agent
// and reports its exit through `ctx.host` as the terminal host does, and the suite accepts `process:exited` where
// it expects the turn's end (the agent is then `done`, exit code 0).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AgentAdapter, AgentSignalSink, ApprovalOptions, Verdict } from '../../src/core/agents/agentAdapter';
import type { AgentSignal, ToolAction } from '../../src/core/agents/agentSignal';
import { AgentRegistry } from '../../src/core/agents/agentRegistry';
import { bridgeAdapterHost } from '../../src/core/agents/bridgeAdapterHost';
import { ActionApprover } from '../../src/core/approvals/actionApprover';
import { ApprovalQueue } from '../../src/core/approvals/approvalQueue';
import { BridgeServer } from '../../src/core/bridge/bridgeServer';
import { DisposableStore } from '../../src/core/events';
import type { Disposable } from '../../src/core/events';
import { AgentScopes } from '../../src/core/fleet/agentScopes';
import { SignalRouter } from '../../src/core/fleet/signalRouter';
import type { Fleet } from '../../src/core/fleet/fleet';
import type { AgentSnapshot } from '../../src/shared/agent';
import { newFleet } from '../unit/core/fleetKit';
import type { memoryLogger } from '../unit/core/fleetKit';

export interface ContractAgent {
  readonly agent: AgentSnapshot;
  /** Its bearer token for the bridge (what the real agent finds in FLOTILLA_AGENT_TOKEN). */
  readonly token: string;
}

export interface SessionDriver {
  playSession(agent: ContractAgent): Promise<void>;
  requestApproval?(agent: ContractAgent): Promise<'allow' | 'deny' | 'ask'>;
}

export interface ContractContext {
  readonly fleet: Fleet;
  readonly log: ReturnType<typeof memoryLogger>;
  /** http://127.0.0.1:PORT of the kit's bridge. */
  readonly bridgeUrl: string;
  readonly bridge: BridgeServer;
  /** A fresh temp dir (the agents' cwd), removed after the test. */
  readonly dir: string;
  /** Where the host that runs the agent (the terminal host) reports what only it knows: the process exited. */
  readonly host: Pick<AgentSignalSink, 'signal'>;
}

export interface ContractSetup {
  readonly adapter: AgentAdapter;
  readonly driver: SessionDriver;
  readonly expectUsage?: boolean;
  readonly expectTools?: boolean;
  readonly expectSession?: boolean;
  /** The agent's end is the host's `process exited` fact (reported by playSession through ctx.host). */
  readonly endsWithProcessExit?: boolean;
  dispose?(): void | Promise<void>;
}

/** The kit's sink: records every fact and approval request, forwards facts to the real router, answers as scripted. */
export class RecordingSink implements AgentSignalSink {
  readonly facts: { agentId: string; signal: AgentSignal }[] = [];
  readonly approvals: { agentId: string; action: ToolAction; options?: ApprovalOptions }[] = [];
  verdict: Verdict = { decision: 'ask', reason: 'the kit has no opinion' };
  throwOnSignal = false;

  constructor(private readonly router?: AgentSignalSink) {}

  signal(agentId: string, signal: AgentSignal): void {
    if (this.throwOnSignal) throw new Error('the kit sink throws on purpose');
    this.facts.push({ agentId, signal });
    this.router?.signal(agentId, signal);
  }

  approve(agentId: string, action: ToolAction, _abort: AbortSignal, options?: ApprovalOptions): Promise<Verdict> {
    this.approvals.push({ agentId, action, ...(options ? { options } : {}) });
    return Promise.resolve(this.verdict);
  }

  /** "session:started", "turn:ended", "usage" ... for one agent. */
  names(agentId: string): string[] {
    return this.facts.filter((f) => f.agentId === agentId).map(({ signal: s }) => ('phase' in s ? `${s.type}:${s.phase}` : s.type));
  }
}

const WATCHED_RESOURCES = new Set(['Timeout', 'FSEventWrap', 'StatWatcher']);
const watchedResources = (): number => process.getActiveResourcesInfo().filter((r) => WATCHED_RESOURCES.has(r)).length;

export async function waitUntil(what: string, ok: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The first index of each name, in order, each after the previous (assert.fail names what is missing). */
function assertInOrder(names: readonly string[], expected: readonly (readonly string[])[]): void {
  let from = -1;
  for (const alternatives of expected) {
    const at = names.findIndex((n, i) => i > from && alternatives.includes(n));
    if (at === -1) assert.fail(`expected ${alternatives.join(' or ')} after position ${from} in: ${names.join(', ')}`);
    from = at;
  }
}

export function adapterContract(name: string, setup: (ctx: ContractContext) => ContractSetup | Promise<ContractSetup>): void {
  describe(`${name} adapter: the agent contract`, function () {
    this.timeout(20_000);
    let ctx: ContractContext;
    let made: ContractSetup;
    let sink: RecordingSink;
    let queue: ApprovalQueue;
    const cleanup: Disposable[] = [];

    const newAgent = (scope: DisposableStore, n = 1): ContractAgent => {
      const { agent, token } = ctx.fleet.create({ name: `contract-${n}`, kind: made.adapter.kind, cwd: ctx.dir });
      made.adapter.attach(agent, sink, scope);
      return { agent, token };
    };

    beforeEach(async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-contract-'));
      const { fleet, log } = newFleet();
      const bridge = new BridgeServer(log);
      const port = (await bridge.listen(0)).port;
      queue = new ApprovalQueue(() => ({ timeoutMs: 5_000, escalateAfterMs: 10_000 }));
      const router = new SignalRouter({ fleet, approvals: queue, approver: new ActionApprover(() => ({ kind: 'pass' }), queue, log), log });
      sink = new RecordingSink(router);
      ctx = { fleet, log, bridge, bridgeUrl: `http://127.0.0.1:${port}`, dir, host: sink };
      made = await setup(ctx);
      const activation = made.adapter.activate?.(bridgeAdapterHost(made.adapter.kind, made.adapter.label, { bridge, fleet, sink, log }));
      if (activation) cleanup.push(activation);
    });

    afterEach(async () => {
      for (const d of cleanup.splice(0).reverse()) d.dispose();
      await made?.dispose?.();
      queue.dispose();
      ctx.bridge.dispose();
      ctx.fleet.dispose();
      fs.rmSync(ctx.dir, { recursive: true, force: true });
    });

    it('reports a session as facts, in order, and the core makes the agent done with its tokens', async () => {
      const scope = new DisposableStore();
      cleanup.push(scope);
      const a = newAgent(scope);
      await made.driver.playSession(a);
      const expectSession = made.expectSession !== false;
      const expectTools = made.expectTools !== false;
      const expectUsage = made.expectUsage ?? made.adapter.capabilities.usage !== 'none';
      const expected: string[][] = [
        ...(expectSession ? [['session:started']] : []),
        ['turn:started'],
        ...(expectTools ? [['tool:started'], ['tool:ended', 'tool:failed']] : []),
        ['turn:ended', 'turn:interrupted', 'turn:failed', ...(made.endsWithProcessExit ? ['process:exited'] : [])],
        ...(expectSession ? [['session:ended']] : []),
      ];
      await waitUntil(`the session's facts (${expected.map((e) => e[0]).join(', ')})`, () => {
        const names = sink.names(a.agent.id);
        const all = expected.every((alts) => alts.some((n) => names.includes(n)));
        return all && (!expectUsage || names.includes('usage'));
      }).catch((err: Error) => assert.fail(`${err.message}; got: ${sink.names(a.agent.id).join(', ')}`));
      assertInOrder(sink.names(a.agent.id), expected);
      if (expectUsage) {
        const tokens = sink.facts.filter((f) => f.agentId === a.agent.id && f.signal.type === 'usage').reduce((sum, f) => {
          const d = (f.signal as Extract<AgentSignal, { type: 'usage' }>).delta;
          return sum + d.input + d.output + d.cacheRead + d.cacheWrite;
        }, 0);
        assert.ok(tokens > 0, 'usage facts carry tokens');
        const snapshot = ctx.fleet.get(a.agent.id)!;
        assert.equal(snapshot.usage.input + snapshot.usage.output + snapshot.usage.cacheRead + snapshot.usage.cacheWrite, tokens, 'the fleet adds exactly the reported deltas');
      }
      if (expectSession || made.endsWithProcessExit) assert.equal(ctx.fleet.get(a.agent.id)!.status, 'done', `status after the session: ${ctx.fleet.get(a.agent.id)!.statusReason ?? ''}`);
    });

    it('asks for approvals through the sink and tells the agent exactly the verdict (never an allow it was not given)', async function () {
      if (!made.driver.requestApproval) {
        assert.equal(made.adapter.capabilities.blockingApprovals, false, 'an adapter with blocking approvals must script requestApproval');
        this.skip();
      }
      const scope = new DisposableStore();
      cleanup.push(scope);
      const a = newAgent(scope);
      sink.verdict = { decision: 'deny', by: 'user', reason: 'not today' };
      assert.equal(await made.driver.requestApproval!(a), 'deny');
      assert.equal(sink.approvals.length, 1);
      assert.equal(sink.approvals[0]!.agentId, a.agent.id);
      assert.ok(sink.approvals[0]!.action.tool.length > 0 && sink.approvals[0]!.action.summary.length > 0, 'the action names its tool and a summary');
      sink.verdict = { decision: 'allow', by: 'user' };
      assert.equal(await made.driver.requestApproval!(a), 'allow');
      sink.verdict = { decision: 'ask', reason: 'nobody decided' };
      assert.equal(await made.driver.requestApproval!(a), 'ask');
      assert.equal(sink.approvals.length, 3);
    });

    it('disposing the agent scope releases every watcher and timer it made', async () => {
      await new Promise((r) => setTimeout(r, 50));
      const before = watchedResources();
      const scope = new DisposableStore();
      const a = newAgent(scope);
      await made.driver.playSession(a);
      scope.dispose();
      await waitUntil(`watchers and timers back to ${before} (now ${watchedResources()}: ${process.getActiveResourcesInfo().join(', ')})`, () => watchedResources() <= before, 3_000);
    });

    it('is contained: a sink that throws does not fail the session, an attach that throws fails only its agent', async () => {
      const scope = new DisposableStore();
      cleanup.push(scope);
      const a = newAgent(scope);
      sink.throwOnSignal = true;
      await made.driver.playSession(a);
      sink.throwOnSignal = false;

      const registry = new AgentRegistry();
      const throwing: AgentAdapter = Object.assign(Object.create(made.adapter) as AgentAdapter, {
        attach: () => {
          throw new Error('attach exploded');
        },
      });
      registry.register(throwing);
      const other = ctx.fleet.create({ name: 'contract-2', kind: made.adapter.kind, cwd: ctx.dir });
      const scopes = new AgentScopes(ctx.fleet, registry, sink, ctx.log);
      cleanup.push(scopes);
      scopes.start();
      assert.equal(ctx.fleet.get(other.agent.id)!.status, 'failed');
      assert.match(ctx.fleet.get(other.agent.id)!.statusReason ?? '', /attach exploded/);
      assert.ok(ctx.fleet.create({ name: 'contract-3', kind: made.adapter.kind, cwd: ctx.dir }).agent, 'the fleet carries on');
    });
  });
}
