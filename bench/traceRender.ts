// Trace panel at scale (`npx tsx bench/traceRender.ts [--seconds 30] [--spans 50000] [--rate 200]`), the real panel
// bundle in headless Chromium under its real CSP (stub acquireVsCodeApi; messages delivered as VS Code does):
// 1. opening a 50k-span trace through the real TraceHostEndpoint (a snapshot of the first spans, the rest in chunks):
//    the first message handled, the first frame painted, every span shown; against an empty trace and 1000 spans;
// 2. frame times while scrolling that trace (one scroll step per frame), against the same loop on the empty panel;
// 3. live append: a real TraceService on a real SQLite store fed 200 tool calls/s as facts, its TraceHostEndpoint
//    batching the written spans to the page: frame times in the page and the host's event-loop lag, against the same
//    page and host idle for as long. Targets: first paint < 500 ms, p95 frame < 16 ms.
// A frame time is from the frame's start (the rAF timestamp) to a task queued from its rAF callback, i.e. after
// scroll handling, the panel's render, style, layout and paint. The "host" here also runs Playwright's client.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import type { AgentSignal } from '../src/core/agents/agentSignal';
import { ApprovalQueue } from '../src/core/approvals/approvalQueue';
import { Emitter } from '../src/core/events';
import type { Logger } from '../src/core/log';
import { openStore } from '../src/core/store/openDatabase';
import { TraceService } from '../src/core/traces/traceService';
import { TraceHostEndpoint } from '../src/shared/webview/traceHost';
import type { TraceSpan } from '../src/shared/webview/traceSpan';
import { launchChromium } from '../test/unit/webview/approvalsPage';
import { bundleTrace, openTracePage } from '../test/unit/webview/tracePage';
import type { TraceBundle } from '../test/unit/webview/tracePage';
import { asc, numberArg, pct } from './benchKit';

const SECONDS = numberArg('seconds', 30);
const SPANS = numberArg('spans', 50_000);
const RATE = numberArg('rate', 200);
const SCROLL_FRAMES = 300;
const LAG_RESOLUTION_MS = 10;
const fmt = (n: number) => `${n.toFixed(1)} ms`;
const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error: (m) => console.error(String(m)) };

/** A big trace: 10 agents, tasks of 33 model requests with 2 tool calls each (100 spans a task), over an hour. */
function bigTrace(count: number, t0: number): TraceSpan[] {
  const spans: TraceSpan[] = [];
  let n = 0;
  const id = () => (++n).toString(16).padStart(16, '0');
  for (let task = 0; spans.length < count; task++) {
    const agentId = `agent-${task % 10}`;
    const traceId = `trace-${task}`.padEnd(32, '0');
    const start = t0 + task * 7_000;
    const taskSpan: TraceSpan = { traceId, spanId: id(), agentId, agentName: `agent ${task % 10}`, kind: 'task', name: 'task', start, end: start + 6_600, status: 'ok', attributes: {} };
    spans.push(taskSpan);
    for (let r = 0; r < 33 && spans.length < count; r++) {
      const rs = start + r * 200;
      const model: TraceSpan = { ...taskSpan, spanId: id(), parentSpanId: taskSpan.spanId, kind: 'model', name: 'claude-sonnet-4-5', start: rs, end: rs + 80, model: 'claude-sonnet-4-5', tokens: { input: 1000, output: 100, cacheRead: 500, cacheWrite: 0 }, costUsd: 0.0045, attributes: { 'model.request_id': `req_${n}` } };
      spans.push(model);
      for (let t = 0; t < 2 && spans.length < count; t++) {
        spans.push({ ...taskSpan, spanId: id(), parentSpanId: model.spanId, kind: 'tool', name: t ? 'Read' : 'Bash', start: rs + 90 + t * 50, end: rs + 130 + t * 50, status: r % 17 ? 'ok' : 'error', attributes: { 'tool.summary': `Bash: npm test -- --grep case-${n}`, 'tool.input': `{"command":"npm test -- --grep case-${n}"}` } });
      }
    }
  }
  return spans;
}

// In-page code as text (the bench's tsconfig has no DOM types). A frame: from its rAF timestamp to a task queued in it.
const DELIVER = `(message) => {
  const t = performance.now();
  if (window.__firstAt === undefined) {
    window.__firstAt = t;
    requestAnimationFrame(() => setTimeout(() => { window.__firstPaint = performance.now() - t; }, 0));
  }
  window.dispatchEvent(new MessageEvent('message', { data: message }));
  (window.__handled ??= []).push(performance.now() - t);
}`;
const SCROLL = (frames: number, step: number) => `(async () => {
  const el = document.querySelector('.waterfall');
  const out = [];
  for (let i = 0; i < ${frames}; i++) {
    out.push(await new Promise((resolve) => requestAnimationFrame((ts) => {
      const max = el.scrollHeight - el.clientHeight;
      el.scrollTop = max > 0 ? (el.scrollTop + ${step}) % max : 0;
      setTimeout(() => resolve(performance.now() - ts), 0);
    })));
  }
  return out;
})()`;
const START_FRAMES = `(() => {
  window.__frames = [];
  window.__stop = false;
  const loop = () => requestAnimationFrame((ts) => {
    setTimeout(() => window.__frames.push(performance.now() - ts), 0);
    if (!window.__stop) loop();
  });
  loop();
})()`;
const STOP_FRAMES = `(() => { window.__stop = true; return window.__frames; })()`;

interface Opened {
  readonly page: Page;
  deliver(message: unknown): Promise<void>;
  close(): Promise<void>;
}

async function openPanel(browser: Awaited<ReturnType<typeof launchChromium>>, bundle: TraceBundle, toHost?: (m: unknown) => void): Promise<Opened> {
  const p = await openTracePage(browser, bundle, toHost);
  await p.waitForReady();
  await p.page.evaluate(`window.__deliver = ${DELIVER}`);
  return {
    page: p.page,
    deliver: (message) => p.page.evaluate((m) => (globalThis as unknown as { __deliver(m: unknown): void }).__deliver(m), message),
    close: async () => {
      if (p.problems.length > 0) console.error(`page problems: ${p.problems.slice(0, 5).join(' | ')}`);
      await p.page.context().close();
    },
  };
}

const stats = (xs: number[]) => {
  const s = asc(xs);
  return { n: s.length, p50: pct(s, 50), p95: pct(s, 95), max: s.at(-1) ?? 0 };
};
const line = (label: string, xs: number[]) => {
  const s = stats(xs);
  return `${label.padEnd(34)} n=${String(s.n).padStart(5)}  p50 ${fmt(s.p50).padStart(9)}  p95 ${fmt(s.p95).padStart(9)}  max ${fmt(s.max).padStart(9)}`;
};

type PageGlobals = { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null }; performance: { now(): number }; __completeAt?: number };

/** Opens the panel on a trace of `count` spans through the real host endpoint (snapshot, then chunks) and scrolls it. */
async function firstPaintAndScroll(browser: Awaited<ReturnType<typeof launchChromium>>, bundle: TraceBundle, count: number): Promise<{ handled: number; painted: number; complete: number; rows: number; frames: number[] }> {
  const now = Date.now();
  const spans = bigTrace(count, now - 3_600_000);
  const host: { endpoint?: TraceHostEndpoint } = {};
  const early: unknown[] = [];
  const posting = new Set<Promise<unknown>>();
  const panel = await openPanel(browser, bundle, (m) => (host.endpoint ? host.endpoint.receive(m) : early.push(m)));
  try {
    host.endpoint = new TraceHostEndpoint({
      source: { spans: () => spans, onDidWrite: () => ({ dispose: () => undefined }) },
      title: 'Bench',
      log: quiet,
      post: (m) => {
        const sent = panel.deliver(m);
        posting.add(sent);
        void sent.finally(() => posting.delete(sent)).catch(() => undefined);
        return sent;
      },
    });
    for (const m of early) host.endpoint.receive(m);
    // Complete: every span counted in the totals (checked each frame; the moment is taken in the page).
    await panel.page.waitForFunction(
      (n) => {
        const g = globalThis as unknown as PageGlobals;
        const done = g.document.querySelector('[data-testid=totals]')?.getAttribute('data-spans') === n;
        if (done) g.__completeAt ??= g.performance.now();
        return done;
      },
      String(count),
      { polling: 'raf', timeout: 120_000 },
    );
    await panel.page.waitForFunction(() => (globalThis as unknown as { __firstPaint?: number }).__firstPaint !== undefined);
    const [handled, painted, complete, rows] = await panel.page.evaluate<[number, number, number, number]>(
      "[window.__handled[0], window.__firstPaint, window.__completeAt - window.__firstAt, document.querySelectorAll('[data-testid=span-row]').length]",
    );
    const frames = await panel.page.evaluate<number[]>(SCROLL(SCROLL_FRAMES, 240));
    await Promise.allSettled([...posting]);
    return { handled, painted, complete, rows, frames };
  } finally {
    host.endpoint?.dispose();
    await panel.close();
  }
}

/** `append`: the real host path fed RATE tool calls/s; otherwise the same page and host idle for as long. */
async function live(browser: Awaited<ReturnType<typeof launchChromium>>, bundle: TraceBundle, append: boolean): Promise<{ frames: number[]; lag: number[]; spans: number; messages: number; handled: number[]; rate: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-trace-'));
  const store = openStore(path.join(dir, 'fleet.db')).store;
  const facts = new Emitter<{ agentId: string; signal: AgentSignal }>();
  const queue = new ApprovalQueue(() => ({ escalateAfterMs: 600_000, timeoutMs: 900_000 }));
  const service = new TraceService({ store, facts: { onDidSignal: facts.event }, approvals: queue, log: quiet, alive: () => true, agentName: (id) => id, price: (_m, u) => (u.input * 3 + u.output * 15) / 1e6 });
  const host: { endpoint?: TraceHostEndpoint } = {};
  const early: unknown[] = [];
  let messages = 0;
  let panel: Opened | undefined;
  const posting = new Set<Promise<unknown>>();
  try {
    panel = await openPanel(browser, bundle, (m) => (host.endpoint ? host.endpoint.receive(m) : early.push(m)));
    const opened = panel;
    host.endpoint = new TraceHostEndpoint({
      source: service,
      title: 'Bench',
      log: quiet,
      post: (m) => {
        messages++;
        const sent = opened.deliver(m);
        posting.add(sent);
        void sent.finally(() => posting.delete(sent)).catch(() => undefined);
        return sent;
      },
    });
    for (const m of early) host.endpoint.receive(m);
    host.endpoint.receive({ type: 'ready' });
    for (let a = 0; a < 10; a++) facts.fire({ agentId: `agent-${a}`, signal: { type: 'turn', phase: 'started' } });
    await panel.page.evaluate(START_FRAMES);
    const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
    lag.enable();
    const started = Date.now();
    const until = started + SECONDS * 1000;
    let calls = 0;
    const tickMs = 50;
    // Ticks on an absolute schedule, so timer drift does not lower the rate.
    for (let tick = 1; Date.now() < until; tick++) {
      const due = started + tick * tickMs;
      if (append) {
        for (let i = 0; i < (RATE * tickMs) / 1000; i++, calls++) {
          const action = { tool: 'Bash', input: { command: `npm test -- case-${calls}` }, summary: `Bash: npm test -- case-${calls}`, toolUseId: `tu-${calls}` };
          const agentId = `agent-${calls % 10}`;
          facts.fire({ agentId, signal: { type: 'tool', phase: 'started', action } });
          facts.fire({ agentId, signal: { type: 'tool', phase: 'ended', action } });
        }
      }
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    }
    lag.disable();
    const elapsed = (Date.now() - started) / 1000;
    service.writer.flush();
    await new Promise((r) => setTimeout(r, 300));
    await Promise.allSettled([...posting]);
    const frames = await panel.page.evaluate<number[]>(STOP_FRAMES);
    const handled = await panel.page.evaluate<number[]>('window.__handled ?? []');
    const shown = await panel.page.locator('[data-testid=totals]').getAttribute('data-spans');
    // Event-loop lag percentiles in ms: the histogram holds each sample's interval (ns), so the resolution comes off.
    const lagMs = [50, 95, 99, 100].map((p) => Math.max(0, lag.percentile(p) / 1e6 - LAG_RESOLUTION_MS));
    return { frames, lag: lagMs, spans: Number(shown), messages, handled, rate: calls / elapsed };
  } finally {
    host.endpoint?.dispose();
    await panel?.close();
    service.dispose();
    queue.dispose();
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const bundle = await bundleTrace();
  const browser = await launchChromium();
  try {
    console.log(`Trace panel bench: ${SPANS} spans; live append ${RATE} spans/s for ${SECONDS} s; headless Chromium, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const empty = await firstPaintAndScroll(browser, bundle, 0);
    const small = await firstPaintAndScroll(browser, bundle, 1000);
    const big = await firstPaintAndScroll(browser, bundle, SPANS);
    console.log('\n1. First paint through the host endpoint (first message: handled, first frame painted; every span shown)');
    const paint = (label: string, f: typeof big) => `   ${label.padEnd(34)} handled ${fmt(f.handled)}, painted ${fmt(f.painted)}, complete ${fmt(f.complete)}`;
    console.log(paint('empty trace (baseline)', empty));
    console.log(paint('1000 spans', small));
    console.log(`${paint(`${SPANS} spans`, big)} (${big.rows} rows in the DOM)   target < 500 ms: ${big.painted < 500 ? 'met' : 'NOT met'}`);
    console.log(`   ratio to baseline                  x${(big.painted / empty.painted).toFixed(1)}`);
    console.log(`\n2. Frame times while scrolling (${SCROLL_FRAMES} frames, 10 rows a frame)`);
    console.log(`   ${line('empty panel (baseline)', empty.frames)}`);
    console.log(`   ${line('1000 spans (baseline: same drawing)', small.frames)}`);
    console.log(`   ${line(`${SPANS} spans`, big.frames)}   target p95 < 16 ms: ${stats(big.frames).p95 < 16 ? 'met' : 'NOT met'}`);
    const idle = await live(browser, bundle, false);
    const busy = await live(browser, bundle, true);
    console.log(`\n3. Live append, ${SECONDS} s each`);
    console.log(`   ${line('page frames, idle (baseline)', idle.frames)}`);
    console.log(`   ${line(`page frames, ${RATE} spans/s`, busy.frames)}   target p95 < 16 ms: ${stats(busy.frames).p95 < 16 ? 'met' : 'NOT met'}`);
    console.log(`   ${line('message handling in the page', busy.handled)}   (${busy.messages} append messages, ${busy.spans} spans shown, ${busy.rate.toFixed(0)} tool calls/s achieved)`);
    const lagLine = (label: string, l: number[]) => `${label.padEnd(34)} p50 ${fmt(l[0]!)}  p95 ${fmt(l[1]!)}  p99 ${fmt(l[2]!)}  max ${fmt(l[3]!)}`;
    console.log(`   ${lagLine('host event-loop lag, idle', idle.lag)}`);
    console.log(`   ${lagLine(`host event-loop lag, ${RATE} spans/s`, busy.lag)}`);
  } finally {
    await browser.close();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
