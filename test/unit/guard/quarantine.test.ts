// Quarantine end to end in the core: a real tamper event (real files, real git) reaches the responder, which audits
// it and quarantines the live agents of that repository; the policy gate then sends their autonomous actions to a
// human (prohibited still denied, also for remote agents); the quarantine survives a reload; release is audited.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import { Fleet } from '../../../src/core/fleet/fleet';
import { StoreFleetPersistence } from '../../../src/core/fleet/storePersistence';
import { followFleet, watchRootsOf } from '../../../src/core/guard/fleetRoots';
import { Quarantines } from '../../../src/core/guard/quarantine';
import { inRepository, TamperResponder } from '../../../src/core/guard/tamperResponder';
import type { TamperResponse } from '../../../src/core/guard/tamperResponder';
import { TamperWatch } from '../../../src/core/guard/tamperWatch';
import { compilePolicy } from '../../../src/core/policy/compilePolicy';
import { composePolicy } from '../../../src/core/policy/composePolicy';
import { initShellParser } from '../../../src/core/policy/shellParser';
import { openStore } from '../../../src/core/store/openDatabase';
import type { FleetStore } from '../../../src/core/store/store';
import { policyGate, QUARANTINE_RULE } from '../../../src/core/approvals/policyGate';
import type { ApprovalDecisionFrame } from '../../../src/shared/protocol/approvalDecision';
import { startSupervisor, TestAgent } from '../remote/remoteKit';
import { memoryLogger } from '../core/fleetKit';
import { git, initRepo, removeDir, tempDir } from '../git/gitTestRepo';

const shipped = compilePolicy(composePolicy({ workspaceTrusted: true }).policy);

describe('quarantine', function () {
  this.timeout(30_000);
  let base: string;
  let store: FleetStore;
  let fleet: Fleet;
  let quarantines: Quarantines;
  const log = memoryLogger();

  // The policy judges shell commands with the Bash grammar (also loaded by test/unit/setup.ts; idempotent).
  before(() => initShellParser());

  const openFleet = () => new Fleet(new StoreFleetPersistence(store, 'ws', log), log);

  beforeEach(() => {
    base = tempDir('quarantine');
    store = openStore(path.join(base, 'fleet.db')).store;
    fleet = openFleet();
    quarantines = new Quarantines({ fleet, appendAudit: (e) => store.appendAudit(e), log });
  });

  afterEach(() => {
    fleet.dispose();
    store.close();
    removeDir(base);
  });

  it('a tamper event audits the change and quarantines the live agents of that repository only', async () => {
    const repo = initRepo(base, 'repo', { 'README.md': 'x\n' });
    const other = initRepo(base, 'other', { 'README.md': 'y\n' });
    const wt = path.join(base, 'wt');
    git(repo, 'worktree', 'add', '--quiet', '-b', 'flotilla/a', wt);
    const inWorktree = fleet.create({ name: 'a', kind: 'claude-code', cwd: wt, worktree: { path: wt, branch: 'flotilla/a', baseCommit: 'x', repoRoot: repo } }).agent;
    const inRepo = fleet.create({ name: 'b', kind: 'claude-code', cwd: path.join(repo) }).agent;
    const elsewhere = fleet.create({ name: 'c', kind: 'claude-code', cwd: other }).agent;
    const ended = fleet.create({ name: 'd', kind: 'claude-code', cwd: repo }).agent;
    fleet.apply(ended.id, 'completed');
    // A runner's agent whose folder has the same path on its own machine: not this repository.
    const remote = fleet.create({ name: 'r', kind: 'remote', cwd: repo }).agent;
    const isLocal = (a: { kind: string }) => a.kind !== 'remote';

    const watch = new TamperWatch({ log, debounceMs: 50 });
    const responder = new TamperResponder({ tamper: watch.onDidDetectTamper, agents: () => fleet.list().filter(isLocal), quarantines, appendAudit: (e) => store.appendAudit(e), log });
    const following = followFleet(fleet, watch, isLocal);
    assert.deepEqual(watchRootsOf([fleet.get(remote.id)!], isLocal), [], 'a remote agent\'s folder is not watched here');
    try {
      const responded = new Promise<TamperResponse>((resolve) => responder.onDidRespond(resolve));
      await watch.whenIdle();
      // Through the worktree, into the common git folder: the hook runs for every worktree of the repository.
      fs.writeFileSync(path.join(repo, '.git/hooks/pre-push'), '#!/bin/sh\n');
      const { event, agents } = await responded;

      assert.equal(event.file, path.join(repo, '.git/hooks/pre-push'));
      assert.deepEqual(agents.map((a) => a.name).sort(), ['a', 'b']);
      assert.equal(fleet.get(remote.id)?.quarantine, undefined, 'the remote agent is not quarantined for a file on this machine');
      for (const id of [inWorktree.id, inRepo.id]) {
        const q = fleet.get(id)?.quarantine;
        assert.equal(q?.reason, 'pre-push was created outside Flotilla');
        assert.match(q?.evidence[0] ?? '', /pre-push created: created \(10 bytes\)/);
      }
      assert.equal(fleet.get(elsewhere.id)?.quarantine, undefined);
      assert.equal(fleet.get(ended.id)?.quarantine, undefined);

      const audit = store.listAudit({ limit: 10 });
      const detected = audit.find((r) => r.action === 'tamper.detected');
      assert.equal(detected?.actor, 'flotilla');
      assert.deepEqual((detected?.data as { agents: string[] }).agents.sort(), [inWorktree.id, inRepo.id].sort());
      assert.equal(audit.filter((r) => r.action === 'quarantine.entered').length, 2);
      assert.ok(store.verifyAudit().ok);
    } finally {
      following.dispose();
      responder.dispose();
      watch.dispose();
    }
  });

  it('a change in the home folder concerns every live agent', () => {
    const agent = fleet.create({ name: 'a', kind: 'claude-code', cwd: base }).agent;
    assert.equal(inRepository(agent, { repoRoot: undefined, root: '/home/u' }), true);
    assert.equal(inRepository(agent, { repoRoot: '/somewhere/else', root: '/somewhere/else' }), false);
  });

  it('the gate sends a quarantined agent\'s autonomous and notify actions to a human; prohibited stays denied', () => {
    const gate = policyGate(() => shipped, store, log);
    const agent = fleet.create({ name: 'a', kind: 'claude-code', cwd: base }).agent;
    const read = () => gate(fleet.get(agent.id)!, 'Read', { file_path: path.join(base, 'README.md') }, base);
    const rmHome = () => gate(fleet.get(agent.id)!, 'Bash', { command: 'rm -rf ~' }, base);
    assert.equal(read().kind, 'allow');

    quarantines.quarantine(agent.id, '.bashrc was changed outside Flotilla', ['~/.bashrc changed']);
    const verdict = read();
    assert.equal(verdict.kind, 'approve');
    assert.equal(verdict.kind === 'approve' && verdict.rule, QUARANTINE_RULE);
    assert.match(verdict.kind === 'approve' ? (verdict.reason ?? '') : '', /a is quarantined \(\.bashrc was changed outside Flotilla\)/);
    assert.equal(rmHome().kind, 'deny');

    const released = quarantines.release(agent.id);
    assert.equal(released.ok, true);
    assert.equal(fleet.get(agent.id)?.quarantine, undefined);
    assert.equal(read().kind, 'allow');
    const audit = store.listAudit({ agentId: agent.id, limit: 20 });
    const release = audit.find((r) => r.action === 'quarantine.released');
    assert.equal(release?.actor, 'user');
    assert.deepEqual((release?.data as { evidence: string[] }).evidence, ['~/.bashrc changed']);
    assert.deepEqual(quarantines.release(agent.id), { ok: false, reason: 'a is not quarantined' });
  });

  it('a second quarantine keeps the first reason and adds its evidence', () => {
    const agent = fleet.create({ name: 'a', kind: 'claude-code', cwd: base }).agent;
    quarantines.quarantine(agent.id, 'first', ['one']);
    quarantines.quarantine(agent.id, 'second', ['two', 'one']);
    assert.deepEqual(fleet.get(agent.id)?.quarantine && { ...fleet.get(agent.id)!.quarantine, since: 0 }, { since: 0, reason: 'first', evidence: ['one', 'two'] });
  });

  it('survives a reload of the fleet from the store, and status events do not clear it', () => {
    const agent = fleet.create({ name: 'a', kind: 'claude-code', cwd: base }).agent;
    quarantines.quarantine(agent.id, 'config changed', ['.git/config: +core.fsmonitor=x']);
    fleet.apply(agent.id, 'activity', { statusReason: 'busy' });
    fleet.dispose();
    fleet = openFleet();
    assert.deepEqual(fleet.get(agent.id)?.quarantine?.evidence, ['.git/config: +core.fsmonitor=x']);
  });

  it("remote agents' approval requests go through the same quarantine", async () => {
    const gate = policyGate(() => shipped, store, log);
    const sup = await startSupervisor({ policy: gate });
    const { agent: remote, token } = sup.addAgent('remote-1');
    const agent = (await TestAgent.hello(sup.url, remote.id, token)).agent;
    try {
      sup.fleet.quarantine(remote.id, 'hooks changed', []);
      agent.send({ type: 'approval_request', request_id: 'q1', tool: 'Read', input: { file_path: '/remote/work/a.ts' }, cwd: '/remote/work' });
      await queued(sup.approvals);
      assert.equal(sup.approvals.pending()[0]?.rule, QUARANTINE_RULE);

      agent.send({ type: 'approval_request', request_id: 'q2', tool: 'Bash', input: { command: 'rm -rf ~' }, cwd: '/remote/work' });
      const decision = await agent.next<ApprovalDecisionFrame>((f) => f.type === 'approval_decision');
      assert.deepEqual([decision.request_id, decision.decision], ['q2', 'deny']);
    } finally {
      await agent.close();
      await sup.dispose();
    }
  });
});

/** Resolves when the queue holds a request (it changes when the socket's frame has been handled). */
function queued(approvals: ApprovalQueue): Promise<void> {
  return new Promise((resolve) => {
    if (approvals.pending().length > 0) return resolve();
    const d = approvals.onDidChange(() => {
      if (approvals.pending().length === 0) return;
      d.dispose();
      resolve();
    });
  });
}
