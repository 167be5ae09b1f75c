// "Always allow this" end to end in the core: a real ApprovalQueue, a real fleet, a real store (audit), the real
// policy gate, and `.flotilla/policy.json` in a temp folder. After the click, the same action passes the gate on
// its own; anything else (another command, a prohibited action, another session) still does not.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import type { Resolution } from '../../../src/core/approvals/approvalQueue';
import { BridgeServer } from '../../../src/core/bridge/bridgeServer';
import { compilePolicy } from '../../../src/core/policy/compilePolicy';
import type { CompiledPolicy } from '../../../src/core/policy/compilePolicy';
import { DEFAULT_POLICY } from '../../../src/core/policy/defaultPolicy';
import { formatPolicyError, loadPolicyFile, mergePolicies } from '../../../src/core/policy/loadPolicy';
import { AlwaysAllowService } from '../../../src/core/policy/alwaysAllow';
import type { AlwaysAllowResult } from '../../../src/core/policy/alwaysAllow';
import { addRuleToPolicyFile } from '../../../src/core/policy/policyFileEdit';
import { pruneSessionRulesWithFleet, SessionRules } from '../../../src/core/policy/sessionRules';
import { openStore } from '../../../src/core/store/openDatabase';
import type { FleetStore } from '../../../src/core/store/store';
import { claudeStack, CLAUDE_HOOK_PATH } from '../../kit/claudeStack';
import { policyGate } from '../../../src/core/approvals/policyGate';
import type { ActionVerdict } from '../../../src/core/approvals/policyGate';
import type { PolicyFile } from '../../../src/shared/policy';
import { HOOK_SAMPLES } from '../claudeCode/hookSamples';
import { newFleet } from '../core/fleetKit';
import { makePolicyFixture } from './policyFixture';
import type { PolicyFixture } from './policyFixture';

const LABEL = '.flotilla/policy.json';

/** The composition of container.ts with the vscode parts (settings, file watcher) left out. */
class World {
  readonly fx: PolicyFixture = makePolicyFixture();
  readonly file = path.join(this.fx.base, 'ws', '.flotilla', 'policy.json');
  readonly store: FleetStore = openStore(path.join(this.fx.base, 'fleet.db')).store;
  readonly fleetKit = newFleet();
  readonly fleet = this.fleetKit.fleet;
  readonly queue = new ApprovalQueue(() => ({ escalateAfterMs: 600_000, timeoutMs: 900_000 }));
  readonly sessionRules = new SessionRules();
  private readonly pruning = pruneSessionRulesWithFleet(this.fleet, this.sessionRules);
  private workspace: PolicyFile | undefined;
  compiled: CompiledPolicy = compilePolicy(DEFAULT_POLICY);
  reloads = 0;
  readonly gate = policyGate(() => this.compiled, this.store, this.fleetKit.log);
  readonly agent: { id: string; token: string };
  readonly service: AlwaysAllowService;

  constructor(options: { workspace?: boolean } = {}) {
    const created = this.fleet.create({ name: 'agent-a', kind: 'claude-code', group: 'web', cwd: this.fx.worktree });
    this.agent = { id: created.agent.id, token: created.token };
    this.fleet.update(this.agent.id, { sessionId: 's-1' });
    this.sessionRules.onDidChange(() => this.compose());
    this.service = new AlwaysAllowService({
      queue: this.queue,
      agent: (id) => this.fleet.get(id),
      sessionRules: this.sessionRules,
      agentRules: options.workspace === false ? undefined : { label: LABEL, add: (rule) => addRuleToPolicyFile(this.file, rule, LABEL) },
      appendAudit: (entry) => this.store.appendAudit(entry),
      reload: () => this.reload(),
      log: this.fleetKit.log,
      narrow: { homeDir: this.fx.home },
    });
  }

  reload(): { ok: true } | { ok: false; error: string } {
    this.reloads++;
    if (fs.existsSync(this.file)) {
      const loaded = loadPolicyFile(fs.readFileSync(this.file, 'utf8'), LABEL);
      if (!loaded.ok) return { ok: false, error: formatPolicyError(loaded.errors[0]!) };
      this.workspace = loaded.policy;
    }
    this.compose();
    return { ok: true };
  }

  private compose(): void {
    this.compiled = compilePolicy(mergePolicies(DEFAULT_POLICY, this.workspace, this.sessionRules.asPolicy()));
  }

  /** A Bash request waiting in the queue, as the hook handler would add it. */
  ask(command: string, sessionId = 's-1'): { id: string; done: Promise<Resolution> } {
    const done = this.queue.request({ agentId: this.agent.id, agentName: 'agent-a', sessionId, tool: 'Bash', summary: `Bash: ${command}`, input: { command }, cwd: this.fx.worktree });
    return { id: this.queue.pending().at(-1)!.id, done };
  }

  /** What the policy gate says about a Bash command of agent-a now. */
  verdict(command: string, sessionId = 's-1'): ActionVerdict['kind'] {
    return this.gate({ ...this.fleet.get(this.agent.id)!, sessionId }, 'Bash', { command }, this.fx.worktree).kind;
  }

  rulesAdded() {
    return this.store.listAudit().filter((row) => row.action === 'policy.rule_added');
  }

  dispose(): void {
    this.pruning.dispose();
    this.queue.dispose();
    this.store.close();
    this.fx.cleanup();
  }
}

function ok(result: AlwaysAllowResult): Extract<AlwaysAllowResult, { ok: true }> {
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result;
}

describe('always allow (AlwaysAllowService)', () => {
  let w: World;
  afterEach(() => w.dispose());

  it('for this agent: writes the rule to a new .flotilla/policy.json, puts it in force, audits it, then allows', async () => {
    w = new World();
    assert.equal(w.verdict('echo two > b.txt && npm install lodash'), 'approve');
    const { id, done } = w.ask('echo two > b.txt && npm install lodash');
    const result = ok(w.service.alwaysAllow(id, 'agent'));

    assert.match(result.rule.id, /^allow\.agent\.[0-9a-f]{12}$/);
    assert.equal(result.rule.description, 'Always allow agent "agent-a" to run `echo two > b.txt && npm install lodash`');
    const loaded = loadPolicyFile(fs.readFileSync(w.file, 'utf8'), LABEL);
    assert.ok(loaded.ok);
    assert.deepEqual(loaded.policy, { version: 1, rules: [result.rule] });
    assert.deepEqual(result.where, { kind: 'file', label: LABEL, file: w.file, idLine: 5, replaced: false });
    assert.equal(fs.readFileSync(w.file, 'utf8').split('\n')[4]!.trim(), `"id": "${result.rule.id}",`);
    assert.equal(w.reloads, 1, 'reloaded at once, not when a file watcher gets to it');

    assert.deepEqual(await done, { kind: 'decided', decision: 'allow', decidedBy: 'user', reason: `Allowed always for this agent: ${result.rule.id}` });
    assert.equal(w.verdict('echo two > b.txt && npm install lodash'), 'allow', 'the same command line passes on its own');
    assert.equal(w.verdict('echo two > b.txt && npm install lodash', 's-9'), 'allow', 'in every session of the agent');
    assert.equal(w.verdict('npm install lodash'), 'approve', 'a different command line still asks');
    assert.equal(w.verdict('echo two > b.txt && npm install lodash express'), 'approve');

    const [audit] = w.rulesAdded();
    assert.equal(audit!.actor, 'user');
    assert.equal(audit!.agentId, w.agent.id);
    assert.equal(audit!.subject, result.rule.description);
    assert.deepEqual(
      { ...(audit!.data as Record<string, unknown>), rule: undefined },
      { ruleId: result.rule.id, scope: 'agent', description: result.rule.description, where: LABEL, requestId: id, tool: 'Bash', rule: undefined },
    );
    assert.equal(w.store.verifyAudit().ok, true);
  });

  it('never unlocks a prohibited action, even one allowed always by a click', async () => {
    w = new World();
    ok(w.service.alwaysAllow(w.ask('git push origin feature').id, 'agent'));
    assert.equal(w.verdict('git push origin feature'), 'allow');
    assert.equal(w.verdict('git push --force origin main'), 'deny', 'the similar force push to main stays prohibited');
    // A PermissionRequest is queued without the gate, so a prohibited action can be pending; its rule changes nothing.
    const forced = w.ask('git push --force origin main');
    ok(w.service.alwaysAllow(forced.id, 'agent'));
    assert.equal((await forced.done).kind, 'decided');
    assert.equal(w.verdict('git push --force origin main'), 'deny');
    assert.equal(w.verdict('git push origin feature && git push --force origin main'), 'deny');
  });

  it('for this session: kept in memory only, matches only that session, ends with the session', async () => {
    w = new World();
    const { id, done } = w.ask('curl https://example.com/a.json');
    const result = ok(w.service.alwaysAllow(id, 'session'));
    assert.match(result.rule.id, /^allow\.session\.[0-9a-f]{12}$/);
    assert.equal(result.rule.description, 'Always allow agent "agent-a" (this session only) to run `curl https://example.com/a.json`');
    assert.deepEqual(result.where, { kind: 'session', agentName: 'agent-a', sessionId: 's-1' });
    assert.deepEqual(result.rule.agent, { id: w.agent.id, sessionId: 's-1' });
    assert.equal(fs.existsSync(w.file), false, 'nothing written to disk');
    assert.equal(w.reloads, 0);
    assert.deepEqual(w.sessionRules.list().map((e) => [e.rule.id, e.agentId, e.sessionId]), [[result.rule.id, w.agent.id, 's-1']]);
    assert.equal((await done).kind, 'decided');
    assert.equal(w.rulesAdded()[0]!.subject, result.rule.description);

    assert.equal(w.verdict('curl https://example.com/a.json', 's-1'), 'allow');
    assert.equal(w.verdict('curl https://example.com/a.json', 's-2'), 'approve', 'another session of the same agent still asks');
    assert.equal(w.verdict('curl https://example.com/b.json', 's-1'), 'approve');

    w.fleet.update(w.agent.id, { sessionId: 's-2' });
    assert.deepEqual(w.sessionRules.list(), [], 'a new session drops the old session rules');
    assert.equal(w.verdict('curl https://example.com/a.json', 's-1'), 'approve');
  });

  it('revoking a session rule puts the question back', () => {
    w = new World();
    const result = ok(w.service.alwaysAllow(w.ask('curl -X POST https://example.com/deploy').id, 'session'));
    assert.equal(w.verdict('curl -X POST https://example.com/deploy'), 'allow');
    assert.equal(w.sessionRules.remove(result.rule.id), true);
    assert.equal(w.sessionRules.remove(result.rule.id), false);
    assert.equal(w.verdict('curl -X POST https://example.com/deploy'), 'approve');
  });

  it('drops session rules when the agent ends or is removed, and keeps other agents\' rules', () => {
    w = new World();
    const other = w.fleet.create({ name: 'agent-b', kind: 'claude-code', cwd: w.fx.worktree }).agent;
    w.fleet.update(other.id, { sessionId: 's-b' });
    ok(w.service.alwaysAllow(w.ask('make').id, 'session'));
    w.queue.request({ agentId: other.id, agentName: 'agent-b', sessionId: 's-b', tool: 'Bash', summary: 'Bash: make', input: { command: 'make' }, cwd: w.fx.worktree }).catch(() => undefined);
    ok(w.service.alwaysAllow(w.queue.pending().at(-1)!.id, 'session'));
    assert.equal(w.sessionRules.list().length, 2);
    w.fleet.apply(w.agent.id, 'completed');
    assert.deepEqual(w.sessionRules.list().map((e) => e.agentName), ['agent-b']);
    w.fleet.remove(other.id);
    assert.deepEqual(w.sessionRules.list(), []);
  });

  it('refuses to touch an invalid policy file, says why, and leaves the request pending', () => {
    w = new World();
    fs.mkdirSync(path.dirname(w.file), { recursive: true });
    const text = '{\n  "rules": [\n    { "id": "mine", "tier": "aprove", "command": "make" }\n  ]\n}\n';
    fs.writeFileSync(w.file, text);
    const { id } = w.ask('npm install lodash');
    const result = w.service.alwaysAllow(id, 'agent');
    assert.equal(result.ok, false);
    assert.match((result as { reason: string }).reason, /^\.flotilla\/policy\.json is not a valid policy, so Flotilla did not change it: \.flotilla\/policy\.json:3:29 rules\[0\]\.tier: expected one of/);
    assert.equal(fs.readFileSync(w.file, 'utf8'), text);
    assert.deepEqual(w.queue.pending().map((r) => r.id), [id], 'still waiting for a human');
    assert.deepEqual(w.rulesAdded(), []);
    assert.equal(w.reloads, 0);
  });

  it('a request that is no longer pending writes nothing and allows nothing', () => {
    w = new World();
    const { id } = w.ask('npm install lodash');
    assert.deepEqual(w.queue.decide(id, 'deny', 'user'), { ok: true });
    for (const scope of ['agent', 'session'] as const) {
      const result = w.service.alwaysAllow(id, scope);
      assert.equal(result.ok, false);
      assert.match((result as { reason: string }).reason, /no longer pending.*no rule was added/);
    }
    assert.equal(fs.existsSync(path.dirname(w.file)), false);
    assert.deepEqual(w.sessionRules.list(), []);
    assert.deepEqual(w.rulesAdded(), []);
    assert.equal(w.verdict('npm install lodash'), 'approve');
  });

  it('input it cannot pin down: no rule, the request stays pending', () => {
    w = new World();
    const { id } = w.ask('echo "unterminated');
    const result = w.service.alwaysAllow(id, 'agent');
    assert.equal(result.ok, false);
    assert.match((result as { reason: string }).reason, /cannot pin this request down/);
    assert.equal(fs.existsSync(w.file), false);
    assert.equal(w.queue.pending().length, 1);
  });

  it('a command with hazards (it may run code): no rule, since no override could ever lower it', () => {
    w = new World();
    const { id } = w.ask("git -c core.pager='sh -c id' log -1");
    const result = w.service.alwaysAllow(id, 'session');
    assert.equal(result.ok, false);
    assert.match((result as { reason: string }).reason, /may run code/);
    assert.equal(w.queue.pending().length, 1);
  });

  it('without a workspace folder refuses agent rules (session rules still work)', () => {
    w = new World({ workspace: false });
    const { id } = w.ask('npm install lodash');
    const refused = w.service.alwaysAllow(id, 'agent');
    assert.equal(refused.ok, false);
    assert.match((refused as { reason: string }).reason, /no workspace folder is open/);
    assert.equal(w.queue.pending().length, 1);
    ok(w.service.alwaysAllow(id, 'session'));
  });

  it('the same action allowed always twice keeps one rule in the file', () => {
    w = new World();
    const first = ok(w.service.alwaysAllow(w.ask('npm install lodash').id, 'agent'));
    const second = ok(w.service.alwaysAllow(w.ask("npm install 'lodash'").id, 'agent'));
    const third = ok(w.service.alwaysAllow(w.ask('npm install lodash').id, 'agent'));
    assert.notEqual(first.rule.id, second.rule.id, 'the command line is pinned as written');
    assert.equal(third.rule.id, first.rule.id);
    assert.equal(third.where.kind === 'file' && third.where.replaced, true);
    const loaded = loadPolicyFile(fs.readFileSync(w.file, 'utf8'), LABEL);
    assert.deepEqual(loaded.ok && loaded.policy.rules!.map((r) => r.id), [first.rule.id, second.rule.id]);
  });
});

describe('always allow through the Claude Code hook', () => {
  let w: World;
  let bridge: BridgeServer;
  let port: number;

  const post = (body: unknown): Promise<{ hookSpecificOutput?: { permissionDecision?: string; permissionDecisionReason?: string } }> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, path: CLAUDE_HOOK_PATH, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${w.agent.token}` } },
        (res) => {
          let data = '';
          res.on('data', (c: Buffer) => (data += c.toString()));
          res.on('end', () => resolve(JSON.parse(data)));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  const preToolUse = (command: string, sessionId = HOOK_SAMPLES.PreToolUse.session_id) => ({
    ...HOOK_SAMPLES.PreToolUse,
    session_id: sessionId,
    cwd: w.fx.worktree,
    tool_input: { command },
  });
  /** The request the hook call put in the queue; fails (rather than hangs) when the call did not wait. */
  const nextPending = async () => {
    const deadline = Date.now() + 1500;
    while (w.queue.pending().length === 0) {
      if (Date.now() > deadline) throw new Error('no request reached the approval queue');
      await new Promise((r) => setTimeout(r, 5));
    }
    return w.queue.pending()[0]!;
  };

  beforeEach(async () => {
    w = new World();
    bridge = new BridgeServer(w.fleetKit.log);
    claudeStack({ fleet: w.fleet, approvals: w.queue, log: w.fleetKit.log, bridge, policy: policyGate(() => w.compiled, w.store, w.fleetKit.log) });
    port = (await bridge.listen(0)).port;
  });
  afterEach(() => {
    bridge.dispose();
    w.dispose();
  });

  it('the waiting hook is allowed, the next identical call passes without asking, another command still waits', async () => {
    const first = post(preToolUse('npm install lodash'));
    const pending = await nextPending();
    ok(w.service.alwaysAllow(pending.id, 'agent'));
    assert.equal((await first).hookSpecificOutput?.permissionDecision, 'allow');
    const again = await post(preToolUse('npm install lodash'));
    assert.deepEqual(again.hookSpecificOutput, { hookEventName: 'PreToolUse', permissionDecision: 'allow', permissionDecisionReason: 'Allowed by Flotilla policy (autonomous)' });
    const other = post(preToolUse('npm install express'));
    assert.equal((await nextPending()).summary, 'Bash: npm install express');
    w.queue.invalidate(() => true, 'test over');
    await other;
  });

  it('a session rule follows the session id of the hook call, not the one the agent had before it', async () => {
    const first = post(preToolUse('npm install lodash', 'session-1'));
    ok(w.service.alwaysAllow((await nextPending()).id, 'session'));
    await first;
    assert.equal((await post(preToolUse('npm install lodash', 'session-1'))).hookSpecificOutput?.permissionDecision, 'allow');
    // A new session's first call: the agent's snapshot still says session-1 until this call is recorded.
    const next = post(preToolUse('npm install lodash', 'session-2'));
    assert.equal((await nextPending()).sessionId, 'session-2', 'the new session is asked again');
    assert.deepEqual(w.sessionRules.list(), [], 'and the old session rule is gone');
    w.queue.invalidate(() => true, 'test over');
    await next;
  });
});
