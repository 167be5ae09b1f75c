// Approvals panel at fleet scale (`npx tsx bench/approvalsPanel.ts [--dist]`): the webview's first render of
// 1000 pending requests from 100 agents in headless Chromium, and an Allow All round trip: 1000 Claude Code
// PreToolUse hooks held open on the real bridge (BridgeServer + ClaudeHookHandler + ApprovalQueue), a click on
// Allow All in the panel, until every hook has its HTTP answer. Each is compared with 10 requests in the same run.
// --dist runs the already built dist/webview/approvals.js; by default the webview is bundled (minified) afresh.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Browser, Page } from 'playwright-core';
import { HOOK_SAMPLES } from '../test/unit/claudeCode/hookSamples';
import { startHookBridge } from './benchKit';
import type { Reply } from './benchKit';
import { ApprovalsHostEndpoint } from '../src/shared/webview/approvalsHost';
import { bundleApprovals, launchChromium, openApprovalsPage } from '../test/unit/webview/approvalsPage';
import type { Bundle } from '../test/unit/webview/approvalsPage';
import { pendingApprovals } from '../test/unit/webview/fixtures';

const RENDER_RUNS = 5;
const ROUND_TRIP_RUNS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

function loadBundle(): Promise<Bundle> {
  if (!process.argv.includes('--dist')) return bundleApprovals(true);
  const dir = join(__dirname, '..', 'dist', 'webview');
  if (!existsSync(join(dir, 'approvals.js'))) throw new Error('dist/webview/approvals.js is missing: run `node esbuild.mjs` first');
  return Promise.resolve({ js: readFileSync(join(dir, 'approvals.js'), 'utf8'), css: readFileSync(join(dir, 'approvals.css'), 'utf8'), dispose: () => undefined });
}

interface RenderFigures {
  /** The message handler: validation with zod and building the DOM. */
  handler: number;
  /** Until the first frame after the message has been laid out and painted. */
  painted: number;
  /** Until every request on screen has its checkbox and buttons rendered (they are added near the viewport first). */
  interactive: number;
  /** Until every one of the requests has its controls (the off-screen ones are added while the page is idle). */
  complete: number;
  domNodes: number;
  heapMb: number;
}

// In-page timing, as text: the bench's tsconfig has no DOM types, and the state is parsed before the clock starts.
const TIME_FIRST_RENDER = `(async (state) => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const onScreenReady = () => {
    for (const item of document.querySelectorAll('[data-testid=request]')) {
      if (item.getBoundingClientRect().top > innerHeight) return true;
      if (item.dataset.hydrated !== 'true') return false;
    }
    return true;
  };
  const t0 = performance.now();
  window.dispatchEvent(new MessageEvent('message', { data: state }));
  const handler = performance.now() - t0;
  await frame();
  const painted = performance.now() - t0;
  while (!onScreenReady()) await frame();
  await frame();
  const interactive = performance.now() - t0;
  while (document.querySelector('[data-testid=request][data-hydrated=false]')) await frame();
  await frame();
  return [handler, painted, interactive, performance.now() - t0];
})`;

/** Opens a fresh page, delivers one `state` and times it inside the page. */
async function firstRender(browser: Browser, bundle: Bundle, count: number, agents: number): Promise<RenderFigures> {
  const p = await openApprovalsPage(browser, bundle);
  try {
    await p.waitForReady();
    const state = { type: 'state', pending: pendingApprovals(count, agents, Date.now()), now: Date.now() };
    const [handler, painted, interactive, complete] = await p.page.evaluate<[number, number, number, number]>(`${TIME_FIRST_RENDER}(${JSON.stringify(state)})`);
    const shown = await p.page.locator('[data-testid=request]').count();
    if (shown !== count) throw new Error(`rendered ${shown} requests, expected ${count}`);
    const [domNodes, heap] = await p.page.evaluate<[number, number]>(`[document.getElementsByTagName('*').length, performance.memory?.usedJSHeapSize ?? 0]`);
    const csp = await p.cspViolations();
    if (csp.length > 0) throw new Error(`CSP violations: ${csp.join(', ')}`);
    return { handler, painted, interactive, complete, domNodes, heapMb: heap / 2 ** 20 };
  } finally {
    await p.page.context().close();
  }
}

type PageDocument = { document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null } };

/** Waits (checking every frame) until the panel's root has `name` = `value`. */
async function appAttribute(page: Page, name: string, value: string): Promise<void> {
  await page.waitForFunction(
    ([n, v]) => (globalThis as unknown as PageDocument).document.querySelector('[data-testid=approvals]')?.getAttribute(n!) === v,
    [name, value],
    { polling: 'raf' },
  );
}

interface RoundTripFigures {
  /** From the click on Allow All until every waiting hook has its HTTP answer (an allow). */
  resolved: number;
  /** Until the webview shows its empty state. */
  emptyShown: number;
  /** `state` messages the host sent while the requests arrived (coalescing). */
  statesDuringArrival: number;
}

async function approveAllRoundTrip(browser: Browser, bundle: Bundle, count: number, agents: number): Promise<RoundTripFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-approvals-'));
  // A policy that sends every action to a human, so each hook waits for the panel.
  const sup = await startHookBridge({
    policy: () => ({ kind: 'approve', tier: 'approve', rule: 'bench.everything' }),
    timings: { escalateAfterMs: 3_600_000, timeoutMs: 7_200_000 },
  });
  const queue = sup.approvals;
  const transcript = join(dir, 'session.jsonl');
  writeFileSync(transcript, '');
  const fleet = Array.from({ length: agents }, (_, a) => sup.fleet.create({ name: `agent-${a + 1}`, kind: 'claude-code', cwd: dir }));
  // One socket per waiting hook, as each Claude Code process holds its own.
  const httpAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  let states = 0;
  // The page posts `ready` while it loads, before `p` (which the endpoint posts through) exists: keep what it says
  // until the endpoint is there, then hand it over in order.
  const early: unknown[] = [];
  const host: { endpoint?: ApprovalsHostEndpoint } = {};
  // Posts still on their way when the run ends are awaited before the page closes (else they fail noisily).
  const posting = new Set<Promise<unknown>>();
  const p = await openApprovalsPage(browser, bundle, (message) => (host.endpoint ? host.endpoint.receive(message) : early.push(message)));
  const endpoint = new ApprovalsHostEndpoint({
    source: queue,
    post: (message) => {
      if (message.type === 'state') states++;
      const sent = Promise.resolve(p.send(message));
      posting.add(sent);
      void sent.finally(() => posting.delete(sent)).catch(() => undefined);
      return sent;
    },
    log: { warn: (m) => console.warn(m), error: (m) => console.error(m) },
    openAgent: () => undefined,
  });
  try {
    await p.waitForReady();
    host.endpoint = endpoint;
    for (const message of early.splice(0)) endpoint.receive(message);
    await appAttribute(p.page, 'data-state-received', 'true');
    const statesBefore = states;
    const hooks: Promise<Reply>[] = [];
    for (let i = 0; i < count; i++) {
      const a = i % agents;
      const body = JSON.stringify({
        ...HOOK_SAMPLES.PreToolUse,
        session_id: `bench-session-${a}`,
        cwd: dir,
        transcript_path: transcript,
        tool_input: { command: `echo step-${i} > out-${i}.txt`, description: `Step ${i}` },
        tool_use_id: `toolu_bench_${i}`,
      });
      hooks.push(sup.post(httpAgent, fleet[a]!.token, body));
    }
    await appAttribute(p.page, 'data-pending-count', String(count));
    const statesDuringArrival = states - statesBefore;
    if (queue.pending().length !== count) throw new Error(`${queue.pending().length} requests pending, expected ${count}`);

    const t0 = performance.now();
    await p.page.evaluate(`document.querySelector('[data-testid=allow-all]').click()`);
    const replies = await Promise.all(hooks);
    const resolved = performance.now() - t0;
    await appAttribute(p.page, 'data-empty', 'true');
    const emptyShown = performance.now() - t0;

    const wrong = replies.filter((r) => r.status !== 200 || !r.body.includes('"permissionDecision":"allow"'));
    if (wrong.length > 0) throw new Error(`${wrong.length} hooks were not allowed: ${wrong[0]!.status} ${wrong[0]!.body}`);
    if (queue.pending().length !== 0) throw new Error(`${queue.pending().length} requests still pending`);
    return { resolved, emptyShown, statesDuringArrival };
  } finally {
    endpoint.dispose();
    sup.dispose();
    httpAgent.destroy();
    await Promise.allSettled([...posting]);
    await p.page.context().close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const bundle = await loadBundle();
  const browser = await launchChromium();
  try {
    console.log(`Approvals panel bench — webview bundle ${(bundle.js.length / 1024).toFixed(0)} KiB${process.argv.includes('--dist') ? ' (dist)' : ' (minified)'}, Chromium ${browser.version()}`);
    // One page first so the measured runs do not pay for Chromium warming up.
    await firstRender(browser, bundle, 10, 1);

    const render = async (count: number, agents: number) => {
      const runs: RenderFigures[] = [];
      for (let i = 0; i < RENDER_RUNS; i++) runs.push(await firstRender(browser, bundle, count, agents));
      const med = (pick: (r: RenderFigures) => number) => median(runs.map(pick));
      return { handler: med((r) => r.handler), painted: med((r) => r.painted), interactive: med((r) => r.interactive), complete: med((r) => r.complete), domNodes: runs[0]!.domNodes, heapMb: med((r) => r.heapMb) };
    };
    const small = await render(10, 1);
    const large = await render(1000, 100);
    const line = (label: string, f: typeof small) =>
      `  ${label}: handler ${ms(f.handler)}, first paint ${ms(f.painted)}, on-screen controls ${ms(f.interactive)}, all controls ${ms(f.complete)} (${f.domNodes} DOM nodes, JS heap ${f.heapMb.toFixed(1)} MiB)`;
    console.log(`\nfirst render of one state message (median of ${RENDER_RUNS}, fresh page each; viewport 1100x800)`);
    console.log(line('baseline   10 requests,   1 agent ', small));
    console.log(line('fleet    1000 requests, 100 agents', large));
    const ratio = (pick: (f: typeof small) => number) => `${(pick(large) / pick(small)).toFixed(1)}x`;
    console.log(`  ratio fleet/baseline (100x the requests): first paint ${ratio((f) => f.painted)}, on-screen controls ${ratio((f) => f.interactive)}, handler ${ratio((f) => f.handler)}, all controls ${ratio((f) => f.complete)}`);

    const trip = async (count: number, agents: number) => {
      const runs: RoundTripFigures[] = [];
      for (let i = 0; i < ROUND_TRIP_RUNS; i++) runs.push(await approveAllRoundTrip(browser, bundle, count, agents));
      return { resolved: median(runs.map((r) => r.resolved)), emptyShown: median(runs.map((r) => r.emptyShown)), states: Math.max(...runs.map((r) => r.statesDuringArrival)) };
    };
    const smallTrip = await trip(10, 1);
    const largeTrip = await trip(1000, 100);
    console.log(`\nAllow All round trip (median of ${ROUND_TRIP_RUNS}): click -> decide -> ApprovalQueue -> every held PreToolUse hook answered over HTTP by the bridge -> empty list`);
    console.log(`  baseline   10 requests: every hook answered ${ms(smallTrip.resolved)}, empty state shown ${ms(smallTrip.emptyShown)}; state messages while they arrived: ${smallTrip.states}`);
    console.log(`  fleet    1000 requests: every hook answered ${ms(largeTrip.resolved)}, empty state shown ${ms(largeTrip.emptyShown)}; state messages while they arrived: ${largeTrip.states}`);
    console.log(`  ratio fleet/baseline: answered ${(largeTrip.resolved / smallTrip.resolved).toFixed(1)}x, empty shown ${(largeTrip.emptyShown / smallTrip.emptyShown).toFixed(1)}x`);
  } finally {
    await browser.close();
    bundle.dispose();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
