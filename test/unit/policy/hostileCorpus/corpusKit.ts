// Runs corpus cases against a policy on a real temp worktree: a git-like worktree (.git/config, .git/hooks,
// .claude/, .flotilla/), a home directory with credentials and rc files, a folder next to the worktree and a
// symlink that escapes it. Shared by the hostile and benign corpus tests and the policy benchmark.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tierRank } from '../../../../src/shared/policy';
import type { PolicyDecision, PolicyRequest, PolicyTier } from '../../../../src/shared/policy';
import { evaluate } from '../../../../src/core/policy/evaluate';
import type { CompiledPolicy } from '../../../../src/core/policy/compilePolicy';
import { makePolicyFixture } from '../policyFixture';
import type { PolicyFixture } from '../policyFixture';
import type { Expectation } from './corpusCase';

export interface CorpusRequest {
  command?: string;
  tool?: string;
  input?: unknown;
  cwd?: string;
}

const FILES: readonly string[] = [
  'README.md',
  '.git/config',
  '.git/HEAD',
  '.git/hooks/pre-commit.sample',
  '.git/info/exclude',
  '.claude/settings.json',
  '.claude/settings.local.json',
  '.flotilla/policy.json',
  '.vscode/settings.json',
  '.mcp.json',
  'test/a.test.ts',
  'package.json',
];

const HOME_FILES: readonly string[] = [
  '.ssh/id_rsa',
  '.ssh/config',
  '.aws/credentials',
  '.claude/settings.json',
  '.claude/.credentials.json',
  '.bashrc',
  '.profile',
  '.gitconfig',
];

/** The policy fixture plus the files the corpus names, so paths resolve as they would in a real checkout. */
export function makeCorpusFixture(): PolicyFixture {
  const fx = makePolicyFixture();
  for (const f of FILES) writeFile(path.join(fx.worktree, f));
  for (const f of HOME_FILES) writeFile(path.join(fx.home, f));
  return fx;
}

function writeFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, 'x\n');
}

/** Replaces {{wt}}, {{home}} and {{outside}} in every string of a command or tool input. */
export function fillPlaceholders<T>(value: T, fx: PolicyFixture): T {
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replaceAll('{{wt}}', fx.worktree).replaceAll('{{home}}', fx.home).replaceAll('{{outside}}', fx.outside);
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(value) as T;
}

export function toRequest(c: CorpusRequest, fx: PolicyFixture): PolicyRequest {
  const tool = c.tool ?? 'Bash';
  const input = c.tool ? fillPlaceholders(c.input, fx) : { command: fillPlaceholders(c.command ?? '', fx) };
  return {
    agent: { id: 'agent-1', name: 'corpus-1', kind: 'claude-code' },
    tool,
    input,
    cwd: c.cwd ? path.join(fx.worktree, c.cwd) : fx.worktree,
    worktreeRoot: fx.worktree,
  };
}

export function evaluateCase(c: CorpusRequest, policy: CompiledPolicy, fx: PolicyFixture): PolicyDecision {
  return evaluate(toRequest(c, fx), policy, { homeDir: fx.home });
}

/** The lowest tier that meets an expectation. */
export function minimumTier(expect: Expectation): PolicyTier {
  return expect === 'prohibited' ? 'prohibited' : 'approve';
}

export function meets(tier: PolicyTier, expect: Expectation): boolean {
  return tierRank(tier) >= tierRank(minimumTier(expect));
}

/** A case as one readable line: the command (escaped so invisible characters show) or the tool and its input. */
export function describeCase(c: CorpusRequest): string {
  const text = c.tool ? `${c.tool} ${JSON.stringify(c.input)}` : (c.command ?? '');
  const shown = text.replace(/[^\x20-\x7e]/gu, (ch) => (ch === '\n' ? '\\n' : `\\u{${ch.codePointAt(0)!.toString(16)}}`));
  return c.cwd ? `${shown} (cwd ${c.cwd})` : shown;
}

export function countByTier(tiers: readonly PolicyTier[]): Record<PolicyTier, number> {
  const counts: Record<PolicyTier, number> = { autonomous: 0, notify: 0, approve: 0, prohibited: 0 };
  for (const t of tiers) counts[t]++;
  return counts;
}
