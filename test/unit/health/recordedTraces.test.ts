// The health detectors on hook sequences recorded from the real Claude Code CLI (traces/*.jsonl, traces/record.ts):
// a task list worked through, the same failing command three times, a turn ending on a question, prohibited calls
// that quarantine, and a long legitimate run, replayed as recorded and stretched to realistic durations, that must
// not be flagged (with a control: the same run with one hung Read is).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { policyAsGate } from '../../../src/core/approvals/gateChain';
import type { ActionVerdict } from '../../../src/core/approvals/policyGate';
import { policyGate, QUARANTINE_RULE } from '../../../src/core/approvals/policyGate';
import { compilePolicy } from '../../../src/core/policy/compilePolicy';
import { composePolicy } from '../../../src/core/policy/composePolicy';
import { evaluate } from '../../../src/core/policy/evaluate';
import { openStore } from '../../../src/core/store/openDatabase';
import { progressText } from '../../../src/shared/health';
import { healthRig } from './healthKit';
import type { HealthRig } from './healthKit';
import { loadTrace, replay, toolOf } from './traceReplay';
import type { RecordedHook } from './traceReplay';

describe('health: recorded Claude Code traces', () => {
  let rig: HealthRig;
  let flags: string[];
  let asked: string[];
  beforeEach(() => {
    rig = healthRig({}, { session: false });
    flags = [];
    asked = [];
    rig.health.onDidFlag((e) => flags.push(`${e.health.summary}: ${e.health.evidence.join(' | ')}`));
    rig.health.onDidAsk((e) => asked.push(e.question));
  });
  afterEach(() => rig.dispose());
  const agent = () => rig.fleet.get(rig.id)!;

  it('a four-task list (TaskCreate, TaskUpdate) worked through reads 0/4, 1/4 … 4/4, then done', () => {
    const seen: string[] = [];
    replay(rig, loadTrace('health-plan'), {
      after: () => {
        const p = agent().progress;
        if (p && seen[seen.length - 1] !== progressText(p)) seen.push(progressText(p));
      },
    });
    assert.deepEqual(seen, [
      '0/1',
      '0/2',
      '0/3',
      '0/4',
      '1/4 Reading the parser',
      // Claude Code sends "1 completed" and "2 in_progress" as two calls: between them one step is done, none begun.
      '1/4',
      '2/4 Fixing the off-by-one',
      '2/4',
      '3/4 Running the tests',
      '3/4',
      '4/4 Updating the changelog',
      '4/4 done: Update the changelog',
    ]);
    assert.deepEqual(flags, []);
  });

  it("the task tools of the recording are the agent's own bookkeeping: the shipped policy never asks about them", () => {
    const compiled = compilePolicy(composePolicy({ workspaceTrusted: true }).policy);
    const tiers = new Set<string>();
    for (const e of loadTrace('health-plan')) {
      const tool = e.payload.hook_event_name === 'PreToolUse' ? toolOf(e) : undefined;
      if (tool) tiers.add(`${tool.name} ${evaluate({ agent: { id: 'a', name: 'a', kind: 'claude-code' }, tool: tool.name, input: tool.input, cwd: '/sandbox/repo', worktreeRoot: '/sandbox/repo' }, compiled).tier}`);
    }
    assert.deepEqual([...tiers].sort(), ['TaskCreate autonomous', 'TaskUpdate autonomous']);
  });

  it('the same failing ls three times in a row is looping, once, with the command and the failure', () => {
    const trace = loadTrace('health-loop');
    // Up to the third failure (the Stop after it ends the turn).
    const third = trace.findIndex((e, i) => i > 0 && e.payload.hook_event_name === 'PostToolUseFailure' && trace.slice(0, i).filter((x) => x.payload.hook_event_name === 'PostToolUseFailure').length === 2);
    replay(rig, trace.slice(0, third + 1));
    assert.equal(agent().health?.flag, 'looping');
    // Flagged as the third call starts; its failure then joins the evidence.
    assert.deepEqual(flags, ["looping: Bash: ls no-such-dir: 3 times in a row with the same input | failed 2 times: Exit code 2\nls: cannot access 'no-such-dir': No such file or directory"]);
    assert.deepEqual(agent().health?.evidence, ['Bash: ls no-such-dir: 3 times in a row with the same input', "failed 3 times: Exit code 2\nls: cannot access 'no-such-dir': No such file or directory"]);
    assert.ok(rig.health.risk.report(rig.id).lines.some((l) => /^1 loop: \+3/.test(l)), JSON.stringify(rig.health.risk.report(rig.id)));
    // The turn ends (Stop): an idle agent is not looping; the scorecard keeps the count.
    replay(rig, trace.slice(third + 1));
    assert.equal(agent().health, undefined);
    assert.equal(rig.health.scorecard(rig.id).signals.loop, 1);
  });

  it('a turn ending with a question: needs input with the question, asked once', () => {
    replay(rig, loadTrace('health-ask'));
    // SessionEnd follows in a headless run; the question was asked before it.
    assert.deepEqual(asked, ['Should I delete app.old.json?']);
  });

  it('two prohibited commands and a protected file through the real policy quarantine; the next harmless ls waits for a human', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-health-'));
    const { store } = openStore(path.join(dir, 'fleet.db'));
    try {
      const compiled = compilePolicy(composePolicy({ workspaceTrusted: true }).policy);
      const gate = rig.health.watchGate(policyAsGate(policyGate(() => compiled, store, rig.log)));
      const verdicts: { call: string; verdict: ActionVerdict }[] = [];
      replay(rig, loadTrace('health-quarantine'), {
        beforeTool: (action) => {
          const a = agent();
          verdicts.push({ call: action.summary, verdict: gate({ agent: a, action, cwd: action.cwd ?? a.cwd }) });
        },
      });
      assert.deepEqual(
        verdicts.map((v) => `${v.verdict.kind}${'rule' in v.verdict && v.verdict.rule === QUARANTINE_RULE ? ' (quarantine)' : ''}`),
        ['deny', 'deny', 'deny', 'approve (quarantine)'],
        JSON.stringify(verdicts),
      );
      assert.equal(rig.quarantined.length, 1);
      assert.match(rig.quarantined[0]!.reason, /^risk score 10\.5 reached 10$/, JSON.stringify(rig.quarantined));
      assert.match(rig.quarantined[0]!.evidence[0]!, /^3 prohibited attempts: \+10\.5 \(.*curl.*git push --force.*settings\.json/);
    } finally {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Realistic durations: a test run takes 7 minutes, everything else 60× its recorded gap (seconds, not ms). */
  const realistic =
    (hang?: { tool: string; ms: number }) => {
      let hung = false;
      return (recorded: number, e: RecordedHook, prev: RecordedHook | undefined): number => {
      const tool = prev && prev.payload.hook_event_name === 'PreToolUse' ? toolOf(prev) : undefined;
      if (tool && tool.name === 'Bash' && /node test\.js/.test(String(tool.input.command)) && e.payload.hook_event_name.startsWith('PostToolUse')) return 7 * 60_000;
      if (hang && !hung && tool?.name === hang.tool && e.payload.hook_event_name.startsWith('PostToolUse')) {
        hung = true;
        return hang.ms;
      }
      return recorded * 60;
    };
    };

  it('a long legitimate run (reads, a failing test run, edits, the same test command again after each) is not flagged, as recorded or stretched to ~45 minutes', () => {
    const trace = loadTrace('health-long-run');
    replay(rig, trace);
    assert.deepEqual(flags, [], 'as recorded');
    rig.dispose();
    rig = healthRig({}, { session: false });
    rig.health.onDidFlag((e) => flags.push(`${e.health.summary}: ${e.health.evidence.join(' | ')}`));
    rig.health.onDidAsk((e) => asked.push(e.question));
    const start = rig.clock.now();
    replay(rig, trace, { gap: realistic() });
    const minutes = (rig.clock.now() - start) / 60_000;
    assert.ok(minutes > 40, `the stretched run takes ${minutes.toFixed(0)} minutes`);
    assert.deepEqual(flags, [], 'stretched');
    assert.deepEqual(asked, []);
    assert.equal(progressText(agent().progress!), '3/3 done: Run the tests');
    assert.equal(rig.quarantined.length, 0);
    assert.ok(rig.health.risk.report(rig.id).score < 10);
  });

  it('control: the same run with one Read hung for 3 minutes is flagged stuck while it hangs, and clears after', () => {
    const seen: (string | undefined)[] = [];
    replay(rig, loadTrace('health-long-run'), { gap: realistic({ tool: 'Read', ms: 3 * 60_000 }), after: () => seen.push(agent().health?.summary) });
    assert.equal(flags.length, 1, JSON.stringify(flags));
    assert.match(flags[0]!, /^stuck on step 1 of 3: Read: src\/calc\.js running for 1m \d\ds \(a Read call may take 1m 00s\)$/);
    assert.ok(seen.includes('stuck on step 1 of 3'));
    assert.equal(agent().health, undefined, 'cleared once it moved on');
  });
});
