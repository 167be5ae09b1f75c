// The quota wall as Codex CLI 0.171 really writes it (recorded by record.ts in this folder): no Stop hook after the
// failed turn, so the rollout's task_complete error is the only sign. A usage limit becomes a failed turn marked as
// quota with the reset time of the spent rate-limit window; a plain 429 after Codex's retries is the quota wall with
// the reset time unknown. Through the real CodexSession, fleet and router the agent ends paused — quota, not working.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodexSession } from '../../../../src/adapters/codex/codexSession';
import { RolloutReader } from '../../../../src/adapters/codex/rolloutReader';
import { ActionApprover } from '../../../../src/core/approvals/actionApprover';
import { ApprovalQueue } from '../../../../src/core/approvals/approvalQueue';
import { gateChain } from '../../../../src/core/approvals/gateChain';
import { SignalRouter } from '../../../../src/core/fleet/signalRouter';
import { agentLook } from '../../../../src/vscode/agentStatusLook';
import { newFleet } from '../../core/fleetKit';

interface Recorded {
  readonly resetEpochMs: number;
  readonly requests: number;
  readonly hooks: readonly { readonly payload: { readonly hook_event_name: string } }[];
  readonly rolloutEvents: readonly unknown[];
}

const load = (name: string): Recorded => JSON.parse(readFileSync(join(__dirname, `${name}.recorded.json`), 'utf8')) as Recorded;

describe('Codex at the quota wall (recorded 0.171 rollouts)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'flotilla-codex-quota-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const rolloutOf = (rec: Recorded): string => {
    const file = join(dir, 'rollout-2026-11-30T09-15-28-quota.jsonl');
    writeFileSync(file, rec.rolloutEvents.map((l) => `${JSON.stringify(l)}\n`).join(''));
    return file;
  };

  it('no Stop hook follows the failed turn (the rollout is the only sign)', () => {
    for (const name of ['usage-limit', 'rate-limit']) assert.deepEqual(load(name).hooks.map((h) => h.payload.hook_event_name), ['SessionStart', 'UserPromptSubmit'], name);
  });

  it('usage limit: a failed turn at the quota wall, resetting when the spent window resets', async () => {
    const rec = load('usage-limit');
    const events = await new RolloutReader(rolloutOf(rec)).read();
    assert.equal(events.length, 1);
    const [e] = events;
    assert.ok(e?.type === 'failed');
    assert.match(e.message, /^You’ve hit your usage limit\. .* try again at \d{1,2}:\d\d [AP]M\.$/);
    assert.deepEqual(e.quota, { resetsAt: rec.resetEpochMs });
  });

  it('a plain 429 after the retries: the quota wall with the reset time unknown', async () => {
    const events = await new RolloutReader(rolloutOf(load('rate-limit'))).read();
    assert.deepEqual(events, [{ type: 'failed', message: 'exceeded retry limit, last status: 429 Too Many Requests', quota: {} }]);
  });

  it('through CodexSession and the router: working, then paused — quota until the reset (not left working)', async () => {
    const rec = load('usage-limit');
    const { fleet, log } = newFleet();
    const queue = new ApprovalQueue(() => ({ timeoutMs: 60_000, escalateAfterMs: 60_000 }));
    const router = new SignalRouter({ fleet, approvals: queue, approver: new ActionApprover(gateChain([]), queue, log), log });
    const id = fleet.create({ name: 'codex-1', kind: 'codex', cwd: '/w' }).agent.id;
    const session = new CodexSession(id, router, log, { pollMs: 60_000 });
    try {
      // Codex writes the failure after the prompt: the rollout is empty until then.
      const file = rolloutOf({ ...rec, rolloutEvents: [] });
      const common = { session_id: 's1', transcript_path: file, cwd: '/w' };
      await session.onHook({ ...common, hook_event_name: 'SessionStart', source: 'startup' }, new AbortController().signal);
      await session.onHook({ ...common, turn_id: 't1', hook_event_name: 'UserPromptSubmit', prompt: 'hello' }, new AbortController().signal);
      await session.flush();
      assert.equal(fleet.get(id)!.status, 'working');
      rolloutOf(rec);
      await session.flush();
      const agent = fleet.get(id)!;
      assert.deepEqual([agent.status, agentLook(agent), agent.quotaPause?.until], ['idle', 'quota-paused', rec.resetEpochMs]);
    } finally {
      session.dispose();
      queue.dispose();
    }
  });
});
