// Per-agent scopes and the bridge host: agents attached when live, released after they end (with a grace for the
// last transcript lines) or are removed, attached again when they come back; an adapter that throws fails only its
// agent, whether in attach or in a route handler.
import assert from 'node:assert/strict';
import type { AgentAdapter } from '../../../src/core/agents/agentAdapter';
import { AgentRegistry } from '../../../src/core/agents/agentRegistry';
import { bridgeAdapterHost } from '../../../src/core/agents/bridgeAdapterHost';
import { BridgeServer } from '../../../src/core/bridge/bridgeServer';
import { toDisposable } from '../../../src/core/events';
import { AgentScopes, ENDED_GRACE_MS } from '../../../src/core/fleet/agentScopes';
import { AgentRuntime } from '../../../src/core/fleet/agentRuntime';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import { FakeClock } from '../../kit/fakeClock';
import { RecordingSink } from '../../kit/adapterContract';
import { newFleet } from '../core/fleetKit';

describe('AgentScopes and the bridge adapter host', () => {
  const attached = new Set<string>();
  const adapter: AgentAdapter = {
    kind: 'custom',
    label: 'Test',
    capabilities: { blockingApprovals: false, usage: 'none', spans: false, controls: [], location: 'local' },
    attach(agent, _sink, scope) {
      if (agent.name === 'bad') throw new Error('cannot watch');
      attached.add(agent.id);
      scope.add(toDisposable(() => attached.delete(agent.id)));
    },
  };
  beforeEach(() => attached.clear());

  it('attaches live agents, releases ended ones after the grace, re-attaches revived ones, releases removed ones', () => {
    const { fleet, log } = newFleet();
    const clock = new FakeClock();
    const registry = new AgentRegistry();
    registry.register(adapter);
    const old = fleet.create({ name: 'old', kind: 'custom', cwd: '/' }).agent.id;
    const scopes = new AgentScopes(fleet, registry, new RecordingSink(), log, clock);
    scopes.start();
    assert.ok(attached.has(old));
    const a = fleet.create({ name: 'a', kind: 'custom', cwd: '/' }).agent.id;
    assert.ok(attached.has(a), 'a new agent is attached at once');
    fleet.apply(a, 'completed');
    clock.advance(ENDED_GRACE_MS - 1);
    assert.ok(attached.has(a), 'still reading its last lines');
    clock.advance(1);
    assert.ok(!attached.has(a));
    fleet.apply(a, 'sessionStarted');
    assert.ok(attached.has(a), 'a resumed session is watched again');
    fleet.remove(a);
    assert.ok(!attached.has(a));
    const bad = fleet.create({ name: 'bad', kind: 'custom', cwd: '/' }).agent.id;
    assert.deepEqual([fleet.get(bad)!.status, fleet.get(bad)!.statusReason], ['failed', 'Test adapter failed: cannot watch']);
    assert.equal(fleet.get(old)!.status, 'starting', 'the others carry on');
    scopes.dispose();
    assert.equal(attached.size, 0);
  });

  it('a route handler that throws fails its agent with the reason and answers 500; the bridge carries on; other kinds get 401', async () => {
    const { fleet, log } = newFleet();
    const bridge = new BridgeServer(log);
    const host = bridgeAdapterHost('custom', 'Test', { bridge, fleet, sink: new RecordingSink(), log });
    host.route!('/hooks/test', async ({ body }) => {
      if ((body as { boom?: boolean }).boom) throw new Error('parser bug');
      return { status: 200, body: { ok: true } };
    });
    const port = (await bridge.listen(0)).port;
    try {
      const mine = fleet.create({ name: 'mine', kind: 'custom', cwd: '/' });
      const other = fleet.create({ name: 'other', kind: 'claude-code', cwd: '/' });
      const post = (token: string, body: unknown) =>
        fetch(`http://127.0.0.1:${port}/hooks/test`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal((await post(other.token, {})).status, 401);
      assert.equal((await post(mine.token, {})).status, 200);
      assert.equal((await post(mine.token, { boom: true })).status, 500);
      assert.deepEqual([fleet.get(mine.agent.id)!.status, fleet.get(mine.agent.id)!.statusReason], ['failed', 'Test adapter failed: parser bug']);
      assert.equal((await post(mine.token, {})).status, 200, 'the bridge still answers');
    } finally {
      bridge.dispose();
    }
  });

  it('an adapter whose activation throws is left out and logged; the runtime and the other kinds carry on', () => {
    const { fleet, log } = newFleet();
    const approvals = new ApprovalQueue(() => ({ timeoutMs: 1_000, escalateAfterMs: 1_000 }));
    const runtime = new AgentRuntime({ fleet, approvals, log, bridge: { route: () => ({ dispose: () => undefined }) }, gates: [], stallMs: () => 60_000 });
    const broken: AgentAdapter = { ...adapter, kind: 'codex', label: 'Broken', activate: () => {
      throw new Error('no port');
    } };
    assert.equal(runtime.register(broken), false);
    assert.equal(runtime.register(adapter), true);
    assert.deepEqual(runtime.registry.all().map((a) => a.kind), ['custom']);
    assert.ok(log.lines.some((l) => l.includes('the Broken adapter failed to start: no port')));
    runtime.dispose();
    approvals.dispose();
  });
});
