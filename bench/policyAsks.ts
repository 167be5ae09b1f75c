// How often the shipped policy asks a human during ordinary work: every tool call of the scripted demo scenarios
// and of any Claude Code transcripts given as arguments (your own sessions: ~/.claude/projects/**/*.jsonl), rated
// by the policy, counted by tier. Guardrails that ask for everything are no fix: this is the figure to watch.
//   npx tsx bench/policyAsks.ts [transcript.jsonl ...]
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compilePolicy } from '../src/core/policy/compilePolicy';
import { composePolicy } from '../src/core/policy/composePolicy';
import { evaluate } from '../src/core/policy/evaluate';
import { initShellParser } from '../src/core/policy/shellParser';
import type { PolicyTier } from '../src/shared/policy';

interface ToolCall {
  source: string;
  tool: string;
  input: unknown;
}

const SCENARIOS = 'test/fixtures/modelServer/scenarios';

function scenarioCalls(): ToolCall[] {
  const out: ToolCall[] = [];
  for (const file of readdirSync(SCENARIOS).filter((f) => f.endsWith('.json'))) {
    const scenario = JSON.parse(readFileSync(join(SCENARIOS, file), 'utf8')) as { turns: { tool?: { name: string; input: unknown }; tools?: { name: string; input: unknown }[] }[] };
    for (const turn of scenario.turns) for (const t of [...(turn.tool ? [turn.tool] : []), ...(turn.tools ?? [])]) out.push({ source: file, tool: t.name, input: t.input });
  }
  return out;
}

/** tool_use blocks of the assistant lines of a Claude Code transcript, with the session's cwd. */
function transcriptCalls(file: string): { calls: ToolCall[]; cwd: string | undefined } {
  const calls: ToolCall[] = [];
  let cwd: string | undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let row: { type?: string; cwd?: string; message?: { content?: unknown } };
    try {
      row = JSON.parse(line) as typeof row;
    } catch {
      continue;
    }
    cwd ??= row.cwd;
    if (row.type !== 'assistant' || !Array.isArray(row.message?.content)) continue;
    for (const block of row.message.content as { type?: string; name?: string; input?: unknown }[]) {
      if (block.type === 'tool_use' && typeof block.name === 'string') calls.push({ source: file, tool: block.name, input: block.input });
    }
  }
  return { calls, cwd };
}

function rate(label: string, calls: readonly ToolCall[], worktree: string, homeDir: string): void {
  const policy = compilePolicy(composePolicy({ workspaceTrusted: true }).policy);
  const counts: Record<PolicyTier, number> = { autonomous: 0, notify: 0, approve: 0, prohibited: 0 };
  const asked: string[] = [];
  for (const c of calls) {
    const d = evaluate({ agent: { id: 'a', name: 'bench', kind: 'claude-code' }, tool: c.tool, input: c.input, cwd: worktree, worktreeRoot: worktree }, policy, { homeDir });
    counts[d.tier]++;
    if (d.tier === 'approve') asked.push(`${c.tool}: ${d.matched.subject.slice(0, 100)}  (${d.ruleId ?? 'no rule'})`);
  }
  const total = calls.length;
  console.log(`${label}: ${total} tool calls; autonomous ${counts.autonomous}, notify ${counts.notify}, approve ${counts.approve} (${total ? ((100 * counts.approve) / total).toFixed(1) : 0} %), prohibited ${counts.prohibited}`);
  for (const a of asked) console.log(`  asks  ${a}`);
}

async function main(): Promise<void> {
  await initShellParser();
  rate('demo and test scenarios', scenarioCalls(), '/work/repo', '/home/user');
  for (const file of process.argv.slice(2)) {
    const { calls, cwd } = transcriptCalls(file);
    rate(file, calls, cwd ?? process.cwd(), process.env.HOME ?? '/root');
  }
}

void main();
