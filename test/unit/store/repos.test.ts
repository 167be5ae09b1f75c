// Every repository method of FleetStore on a real file, plus tolerant reads of damaged JSON columns.
import assert from 'node:assert/strict';
import { describeEachDriver, warnings } from './storeTestKit';
import type { StoreTestContext } from './storeTestKit';

function withAgent(t: StoreTestContext, clock = { now: 1000 }) {
  const store = t.open({ now: () => clock.now });
  store.upsertAgent({ id: 'a1', name: 'alpha', kind: 'claude-code', groupName: 'g1', status: 'idle', data: { cwd: '/w' } });
  return { store, clock };
}

describeEachDriver('store repositories', (t) => {
  it('agents: upsert keeps created_at, replaces the rest; list filters by group; delete cascades (spans stay)', () => {
    const { store, clock } = withAgent(t);
    clock.now = 2000;
    const updated = store.upsertAgent({ id: 'a1', name: 'alpha2', kind: 'codex', status: 'working' });
    assert.deepEqual(updated, {
      id: 'a1', name: 'alpha2', kind: 'codex', groupName: null, status: 'working', createdAt: 1000, updatedAt: 2000, data: {},
    });
    store.upsertAgent({ id: 'b1', name: 'beta', kind: 'custom', groupName: 'g2', status: 'idle' });
    assert.deepEqual(store.listAgents().map((a) => a.id), ['a1', 'b1']);
    assert.deepEqual(store.listAgents({ groupName: 'g2' }).map((a) => a.id), ['b1']);
    clock.now = 3000;
    assert.equal(store.setAgentStatus('b1', 'stalled'), true);
    assert.equal(store.setAgentStatus('nobody', 'stalled'), false);
    assert.equal(store.getAgent('b1')?.status, 'stalled');
    assert.equal(store.getAgent('b1')?.updatedAt, 3000);

    store.upsertSession({ id: 's1', agentId: 'a1', externalId: 'claude-1' });
    store.insertSpan({ agentId: 'a1', kind: 'tool', name: 'Bash', startedAt: 1 });
    store.addUsage('a1', 'm', { input: 1 });
    store.insertApproval({ id: 'p1', agentId: 'a1', tool: 'Bash', input: {}, tier: 'review' });
    store.setBudget({ scope: 'agent', scopeId: 'a1', limits: { usd: 1 } });
    store.appendAudit({ actor: 'user', action: 'delete', agentId: 'a1' });
    assert.equal(store.deleteAgent('a1'), true);
    assert.equal(store.deleteAgent('a1'), false);
    assert.equal(store.getAgent('a1'), undefined);
    assert.equal(store.getSession('s1'), undefined);
    assert.equal(store.countSpans('a1'), 1, 'spans outlive their agent until retention prunes them');
    assert.deepEqual(store.usageByAgent('a1'), []);
    assert.equal(store.getApproval('p1'), undefined);
    assert.equal(store.getBudget('agent', 'a1'), undefined);
    assert.equal(store.listAudit({ agentId: 'a1' }).length, 1, 'the audit outlives the agent');
  });

  it('sessions: partial upserts keep earlier fields; lookup by external id; list newest first', () => {
    const { store } = withAgent(t);
    store.upsertSession({ id: 's1', agentId: 'a1', externalId: 'claude-1', transcriptPath: '/t/1.jsonl', startedAt: 10, data: { model: 'x' } });
    const ended = store.upsertSession({ id: 's1', agentId: 'a1', endedAt: 20 });
    assert.deepEqual(ended, {
      id: 's1', agentId: 'a1', externalId: 'claude-1', transcriptPath: '/t/1.jsonl', startedAt: 10, endedAt: 20, data: { model: 'x' },
    });
    assert.deepEqual(store.upsertSession({ id: 's1', agentId: 'a1', data: { model: 'y' } }).data, { model: 'y' });
    store.upsertSession({ id: 's2', agentId: 'a1', externalId: 'claude-2', startedAt: 30 });
    store.upsertSession({ id: 's3', agentId: 'a1' });
    assert.equal(store.getSessionByExternalId('claude-2')?.id, 's2');
    assert.equal(store.getSessionByExternalId('nope'), undefined);
    assert.deepEqual(store.listSessions('a1').map((s) => s.id), ['s2', 's1', 's3']);
    assert.throws(() => store.upsertSession({ id: 's4', agentId: 'a1', externalId: 'claude-2' }), /UNIQUE/);
  });

  it('spans: insert, upsert by trace/span id, newest-first pages with a cursor', () => {
    const { store } = withAgent(t);
    const open = store.insertSpan({ agentId: 'a1', sessionId: 's1', traceId: 't1', spanId: 'x', kind: 'tool', name: 'Bash', startedAt: 100 });
    assert.equal(open.endedAt, null);
    const closed = store.insertSpan({
      agentId: 'a1', traceId: 't1', spanId: 'x', kind: 'tool', name: 'Bash', startedAt: 100, endedAt: 150,
      tokensIn: 5, tokensOut: 7, cacheRead: 3, cacheWrite: 2, costUsd: 0.25, model: 'claude', status: 'ok', data: { exit: 0 },
    });
    assert.equal(closed.id, open.id, 'the end of a span updates its row');
    assert.deepEqual(
      { ...closed, id: 0 },
      {
        id: 0, agentId: 'a1', sessionId: 's1', traceId: 't1', spanId: 'x', parentSpanId: null, kind: 'tool', name: 'Bash',
        startedAt: 100, endedAt: 150, durationMs: 50, tokensIn: 5, tokensOut: 7, cacheRead: 3, cacheWrite: 2,
        costUsd: 0.25, model: 'claude', status: 'ok', data: { exit: 0 },
      },
    );
    // Five more at the same start time, to prove the cursor pages through ties without loss or repeats.
    for (let i = 0; i < 5; i++) store.insertSpan({ agentId: 'a1', sessionId: 's1', kind: 'model', name: `turn ${i}`, startedAt: 200 });
    assert.equal(store.countSpans('a1'), 6);
    const seen: string[] = [];
    let page = store.listSpans('a1', { limit: 4 });
    while (page.length) {
      seen.push(...page.map((s) => s.name));
      const last = page[page.length - 1]!;
      page = store.listSpans('a1', { limit: 4, before: { startedAt: last.startedAt, id: last.id } });
    }
    assert.deepEqual(seen, ['turn 4', 'turn 3', 'turn 2', 'turn 1', 'turn 0', 'Bash']);
    assert.deepEqual(store.listSpans('a1', { before: 200 }).map((s) => s.name), ['Bash']);
    assert.deepEqual(store.listSessionSpans('s1').map((s) => s.name), ['Bash', 'turn 0', 'turn 1', 'turn 2', 'turn 3', 'turn 4']);
  });

  it('usage: running totals per agent and model, per agent, and for the fleet', () => {
    const { store } = withAgent(t);
    store.upsertAgent({ id: 'b1', name: 'beta', kind: 'codex', status: 'idle' });
    store.addUsage('a1', 'opus', { input: 10, output: 5 }, 0.5);
    const sum = store.addUsage('a1', 'opus', { input: 1, output: 1, cacheRead: 100, cacheWrite: 7 }, 0.25);
    assert.deepEqual({ ...sum, updatedAt: 0 }, {
      agentId: 'a1', model: 'opus', input: 11, output: 6, cacheRead: 100, cacheWrite: 7, costUsd: 0.75, updatedAt: 0,
    });
    store.addUsage('a1', 'haiku', { input: 2 }, 0.01);
    store.addUsage('b1', 'gpt', { output: 3 }, 1);
    assert.deepEqual(store.usageByAgent('a1').map((u) => [u.model, u.input]), [['haiku', 2], ['opus', 11]]);
    assert.deepEqual(store.usageTotalsPerAgent(), [
      { agentId: 'a1', input: 13, output: 6, cacheRead: 100, cacheWrite: 7, costUsd: 0.76 },
      { agentId: 'b1', input: 0, output: 3, cacheRead: 0, cacheWrite: 0, costUsd: 1 },
    ]);
    assert.deepEqual(store.usageTotals(), { input: 13, output: 9, cacheRead: 100, cacheWrite: 7, costUsd: 1.76 });
    assert.throws(() => store.addUsage('a1', 'opus', { input: -1 }), /usage\.input/);
    assert.throws(() => store.addUsage('a1', 'opus', {}, Number.NaN), /usage\.costUsd/);
  });

  it('approvals: insert pending, first decision wins, list by status and agent', () => {
    const { store, clock } = withAgent(t);
    store.insertApproval({ id: 'p1', agentId: 'a1', sessionId: 's1', tool: 'Bash', input: { command: 'rm -rf build' }, tier: 'danger', rule: 'rm' });
    clock.now = 1100;
    store.insertApproval({ id: 'p2', agentId: 'a1', tool: 'Edit', input: { file: 'x' }, tier: 'review' });
    assert.deepEqual(store.listApprovals({ status: 'pending' }).map((a) => a.id), ['p1', 'p2']);
    clock.now = 1500;
    const allowed = store.decideApproval('p1', { status: 'allowed', decidedBy: 'user', reason: 'looks fine' });
    assert.deepEqual(allowed, {
      id: 'p1', agentId: 'a1', sessionId: 's1', tool: 'Bash', input: { command: 'rm -rf build' }, tier: 'danger', rule: 'rm',
      status: 'allowed', createdAt: 1000, decidedAt: 1500, decidedBy: 'user', reason: 'looks fine',
    });
    assert.equal(store.decideApproval('p1', { status: 'denied', decidedBy: 'terminal' }), undefined, 'already decided');
    assert.equal(store.getApproval('p1')?.status, 'allowed');
    assert.equal(store.decideApproval('nope', { status: 'denied', decidedBy: 'user' }), undefined);
    assert.throws(() => store.decideApproval('p2', { status: 'pending' as never, decidedBy: 'user' }), /allowed\/denied/);
    assert.deepEqual(store.listApprovals({ status: 'pending' }).map((a) => a.id), ['p2']);
    assert.deepEqual(store.listApprovals({ agentId: 'a1', limit: 1 }).map((a) => a.id), ['p1']);
    assert.deepEqual(store.listApprovals().map((a) => a.id), ['p1', 'p2']);
  });

  it('budgets: set replaces limits per scope, fleet has no id, bad limits refused', () => {
    const { store } = withAgent(t);
    store.setBudget({ scope: 'fleet', scopeId: 'ignored', limits: { usd: 50 } });
    store.setBudget({ scope: 'group', scopeId: 'g1', limits: { tokens: 1000, timeMs: 60_000 } });
    const replaced = store.setBudget({ scope: 'group', scopeId: 'g1', limits: { usd: 2 } });
    assert.deepEqual(replaced.limits, { usd: 2 });
    assert.deepEqual(store.getBudget('fleet')?.limits, { usd: 50 });
    assert.deepEqual(store.listBudgets().map((b) => `${b.scope}:${b.scopeId}`), ['fleet:', 'group:g1']);
    assert.deepEqual(store.listBudgets('group').map((b) => b.scopeId), ['g1']);
    assert.throws(() => store.setBudget({ scope: 'group', scopeId: 'g1', limits: { usd: -1 } }), /limits\.usd/);
    assert.throws(() => store.setBudget({ scope: 'planet' as never, limits: {} }), /budget scope/);
    assert.equal(store.deleteBudget('group', 'g1'), true);
    assert.equal(store.getBudget('group', 'g1'), undefined);
  });

  it('transactions roll back every write when the callback throws, and refuse async callbacks', () => {
    const { store } = withAgent(t);
    assert.throws(() =>
      store.transaction(() => {
        store.insertSpan({ agentId: 'a1', kind: 'tool', name: 'lost', startedAt: 1 });
        store.appendAudit({ actor: 'user', action: 'lost' });
        throw new Error('abort');
      }),
    /abort/);
    assert.equal(store.countSpans(), 0);
    assert.equal(store.auditHead(), undefined);
    assert.throws(() => store.transaction(() => Promise.resolve(1)), /synchronous/);
    const outer = store.transaction(() => {
      assert.throws(() => store.transaction(() => {
        store.insertSpan({ agentId: 'a1', kind: 'tool', name: 'inner', startedAt: 1 });
        throw new Error('inner only');
      }));
      return store.insertSpan({ agentId: 'a1', kind: 'tool', name: 'outer', startedAt: 2 });
    });
    assert.deepEqual(store.listSpans('a1').map((s) => s.name), [outer.name], 'the savepoint undid only the inner write');
  });

  it('tolerates bad JSON on disk: logs it and returns a default instead of crashing', () => {
    const { store } = withAgent(t);
    store.upsertSession({ id: 's1', agentId: 'a1' });
    const span = store.insertSpan({ agentId: 'a1', kind: 'tool', name: 'Bash', startedAt: 1 });
    store.insertApproval({ id: 'p1', agentId: 'a1', tool: 'Bash', input: { c: 1 }, tier: 'review' });
    store.setBudget({ scope: 'agent', scopeId: 'a1', limits: { usd: 3 } });
    const raw = t.raw();
    raw.exec(`UPDATE agents SET data = '{not json' WHERE id = 'a1'`);
    raw.exec(`UPDATE sessions SET data = '[1, 2]' WHERE id = 's1'`);
    raw.exec(`UPDATE spans SET data = 'nul' WHERE id = ${span.id}`);
    raw.exec(`UPDATE approvals SET input = 'oops' WHERE id = 'p1'`);
    raw.exec(`UPDATE budgets SET limits = '{"usd": "lots", "tokens": 5}' WHERE scope_id = 'a1'`);

    assert.deepEqual(store.getAgent('a1')?.data, {});
    assert.deepEqual(store.getSession('s1')?.data, {});
    assert.deepEqual(store.listSpans('a1')[0]?.data, {});
    assert.equal(store.getApproval('p1')?.input, null);
    assert.deepEqual(store.getBudget('agent', 'a1')?.limits, { tokens: 5 });
    const warned = warnings(t).join('\n');
    for (const where of ['agents.data of a1', 'sessions.data of s1', `spans.data of span ${span.id}`, 'approvals.input of p1', 'usd is not a number']) {
      assert.ok(warned.includes(where), `expected a warning about ${where}, got:\n${warned}`);
    }
  });

  it('refuses values that cannot be stored as JSON, naming the column', () => {
    const { store } = withAgent(t);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => store.upsertAgent({ id: 'x', name: 'x', kind: 'custom', status: 'idle', data: cyclic }), /agents\.data/);
    assert.throws(() => store.appendAudit({ actor: 'u', action: 'a', data: { n: 1n } }), /audit data/);
    assert.equal(store.getAgent('x'), undefined);
  });
});
