// Policy evaluation speed with the tree-sitter shell parser: 10k mixed shell commands (the benign and hostile
// corpora, varied deterministically: other file names, chained pairs), each evaluated against the shipped policy
// on a real temp worktree, against a plain shell-quote parse() of the same command in the same run.
// Run: npx tsx bench/policyEval.ts [count]      Target: evaluation p99 < 1 ms per command.
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parse as shellQuoteParse } from 'shell-quote';
import type { PolicyTier } from '../src/shared/policy';
import { compilePolicy } from '../src/core/policy/compilePolicy';
import { composePolicy } from '../src/core/policy/composePolicy';
import { initShellParser } from '../src/core/policy/shellParser';
import { BENIGN_CORPUS } from '../test/unit/policy/benignCorpus';
import { countByTier, evaluateCase, fillPlaceholders, makeCorpusFixture } from '../test/unit/policy/hostileCorpus/corpusKit';
import { HOSTILE_CORPUS } from '../test/unit/policy/hostileCorpus/index';
import { asc, ms, pct } from './benchKit';

const COUNT = Number(process.argv[2] ?? 10_000);
const WARM_UP = 1_000;
/** Each command is timed once per pass; the per-command minimum over passes filters a shared machine's pauses. */
const PASSES = 3;

/** mulberry32: a small seeded generator, so every run measures the same commands. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` commands, about 60% everyday and 40% hostile, some renamed and some chained in pairs. */
function mixedCommands(count: number, seed: number): string[] {
  const benign = BENIGN_CORPUS.flatMap((c) => (c.command !== undefined ? [c.command] : []));
  const hostile = HOSTILE_CORPUS.flatMap((c) => (c.command !== undefined ? [c.command] : []));
  const next = rng(seed);
  const pick = (xs: string[]): string => xs[Math.floor(next() * xs.length)]!;
  const vary = (cmd: string, i: number): string =>
    cmd.replaceAll('README.md', `notes-${i % 89}.md`).replaceAll('src/a.ts', `src/mod${i % 53}/a.ts`);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const one = (): string => vary(pick(next() < 0.6 ? benign : hostile), i);
    out.push(next() < 0.15 ? `${one()} && ${one()}` : one());
  }
  return out;
}

/**
 * The command evaluate() sees in a pass: its own first comment line makes every line unique, so shellParse's
 * cache never answers for the parser. shell-quote gets the command without that line (it would read the
 * comment as running to the end of the input).
 */
const unique = (pass: number, i: number, command: string): string => `# pass ${pass} command ${i}\n${command}`;

function timeEach(commands: readonly string[], run: (cmd: string) => void): number[] {
  const out: number[] = new Array<number>(commands.length);
  for (let i = 0; i < commands.length; i++) {
    const t0 = performance.now();
    run(commands[i]!);
    out[i] = performance.now() - t0;
  }
  return out;
}

const minOver = (runs: number[][]): number[] => runs[0]!.map((_, i) => Math.min(...runs.map((r) => r[i]!)));
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

function line(label: string, times: readonly number[]): string {
  const s = asc([...times]);
  return `${label} p50 ${ms(pct(s, 50))}  p99 ${ms(pct(s, 99))}  max ${ms(s[s.length - 1]!)}  total ${ms(sum(s))}`;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  await initShellParser();
  const initMs = performance.now() - t0;
  const fx = makeCorpusFixture();
  try {
    const policy = compilePolicy(composePolicy({ workspaceTrusted: true }).policy);
    const commands = mixedCommands(COUNT, 9).map((c) => fillPlaceholders(c, fx));
    const tiers: PolicyTier[] = [];
    const evaluateOne = (command: string): void => {
      tiers.push(evaluateCase({ command }, policy, fx).tier);
    };
    let tokens = 0;
    const tokenizeOne = (command: string): void => {
      tokens += shellQuoteParse(command).length;
    };

    // Warm both paths (JIT, caches) on other commands of the same mix.
    const warm = mixedCommands(WARM_UP, 7).map((c) => fillPlaceholders(c, fx));
    timeEach(warm.map((c, i) => unique(-1, i, c)), evaluateOne);
    timeEach(warm, tokenizeOne);

    const evalRuns: number[][] = [];
    const quoteRuns: number[][] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      tiers.length = 0;
      tokens = 0;
      evalRuns.push(timeEach(commands.map((c, i) => unique(pass, i, c)), evaluateOne));
      quoteRuns.push(timeEach(commands, tokenizeOne));
    }
    const e = minOver(evalRuns);
    const q = minOver(quoteRuns);
    const es = asc(e);
    const qs = asc(q);

    const n = countByTier(tiers);
    const [l1, l5] = os.loadavg();
    console.log(`policy evaluation, ${commands.length} mixed shell commands x ${PASSES} passes (load average ${l1!.toFixed(2)} / ${l5!.toFixed(2)}, ${os.cpus().length} cores, Node ${process.version})`);
    console.log(`  tiers: autonomous ${n.autonomous}, notify ${n.notify}, approve ${n.approve}, prohibited ${n.prohibited}; ${tokens} shell-quote tokens`);
    console.log(`  initShellParser (WASM load, once): ${ms(initMs)}`);
    console.log(line('  evaluate(), first pass:          ', evalRuns[0]!));
    console.log(line('  shell-quote parse(), first pass: ', quoteRuns[0]!));
    console.log(line(`  evaluate(), best of ${PASSES}:          `, e));
    console.log(line(`  shell-quote parse(), best of ${PASSES}: `, q));
    console.log(`  ratio evaluate / shell-quote (best of ${PASSES}): p50 ${(pct(es, 50) / pct(qs, 50)).toFixed(1)}x  p99 ${(pct(es, 99) / pct(qs, 99)).toFixed(1)}x  total ${(sum(e) / sum(q)).toFixed(1)}x`);
    console.log(`  target p99 < 1 ms (best of ${PASSES}): ${pct(es, 99) < 1 ? 'met' : 'NOT met'}`);
    const slowest = e.map((t, i) => [t, commands[i]!] as const).sort((a, b) => b[0] - a[0]).slice(0, 5);
    console.log(`  slowest evaluations (best of ${PASSES}):`);
    for (const [t, cmd] of slowest) console.log(`    ${ms(t)}  ${JSON.stringify(cmd.length > 100 ? `${cmd.slice(0, 100)}…` : cmd)}`);
  } finally {
    fx.cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
