// Records real Claude Code hook sequences for the health detectors' unit tests: runs the CLI headless against the
// scripted model server for each scenario below, with a command hook that logs every payload and its arrival time,
// and writes them (sandbox paths replaced by /sandbox, times relative to the first event) to <scenario>.jsonl here.
// Run by hand when Claude Code changes: npx tsx test/unit/health/traces/record.ts
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startModelServer } from '../../../fixtures/modelServer/modelServer';
import { loadScenarios } from '../../../fixtures/modelServer/scenario';
import { createSandbox, runClaude } from '../../claudeCode/claudeRunner';

const HERE = __dirname;
const SHARED = path.join(HERE, '../../../fixtures/modelServer/scenarios');

/** Scenario, and the calls the recording policy denies (the prohibited ones). */
const RECORD: readonly { scenario: string; deny?: string }[] = [
  { scenario: 'health-plan' },
  { scenario: 'health-loop' },
  { scenario: 'health-ask' },
  { scenario: 'health-quarantine', deny: 'curl|--force|\\.vscode' },
  { scenario: 'health-long-run' },
];

const EVENTS = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'PostToolUseFailure', 'Notification', 'Stop', 'StopFailure', 'SessionEnd'];

async function main(): Promise<void> {
  const scenarios = new Map([...loadScenarios(SHARED), ...loadScenarios(path.join(HERE, 'scenarios'))]);
  const server = await startModelServer({ scenarios });
  // Recorded ungated: every gate stands open.
  for (const s of scenarios.values()) for (const t of s.turns) if (t.gate) server.openGate(t.gate);
  const command = `node ${path.join(HERE, 'hookRecorder.cjs')}`;
  const hooks = Object.fromEntries(EVENTS.map((e) => [e, [{ ...(e.includes('ToolUse') ? { matcher: '*' } : {}), hooks: [{ type: 'command', command, timeout: 30 }] }]]));
  try {
    for (const { scenario, deny } of RECORD) {
      const sandbox = createSandbox();
      const raw = path.join(sandbox.root, 'trace.jsonl');
      try {
        const run = await runClaude({ sandbox, prompt: `[scenario:${scenario}] go`, settings: { hooks }, modelUrl: server.url, env: { TRACE_FILE: raw, ...(deny ? { TRACE_DENY: deny } : {}) }, timeoutMs: 120_000 });
        if (run.code !== 0) throw new Error(`${scenario}: claude exited ${run.code}${run.timedOut ? ' (timed out)' : ''}: ${run.stderr.slice(0, 500)}`);
        const lines = fs.readFileSync(raw, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { at: number; payload: unknown });
        const t0 = lines[0]!.at;
        const root = fs.realpathSync(sandbox.root);
        const out = lines.map((l) => JSON.stringify({ t: l.at - t0, payload: l.payload }).split(root).join('/sandbox').split(sandbox.root).join('/sandbox'));
        fs.writeFileSync(path.join(HERE, `${scenario}.jsonl`), `${out.join('\n')}\n`);
        console.log(`${scenario}: ${out.length} events`);
      } finally {
        sandbox.dispose();
      }
    }
  } finally {
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
