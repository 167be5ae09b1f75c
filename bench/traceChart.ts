// What the Trace panel's cost chart costs (`npx tsx bench/traceChart.ts [--spans 50000] [--rounds 3]`, under the
// workbench lock): one page of the real bundle under its real CSP holding a big trace, frame times with the chart shown
// and folded away, interleaved in rounds so the machine's load hits both alike: (1) scrolling the waterfall, (2) live
// appends of charged model spans made in the page (4 a frame, ~240/s: the chart's series is recomputed every frame).
// A frame time is from the frame's rAF timestamp to a task queued in it (as in bench/traceRender.ts).
import * as os from 'node:os';
import type { TraceSpan } from '../src/shared/webview/traceSpan';
import { launchChromium } from '../test/unit/webview/approvalsPage';
import { bundleTrace, openTracePage } from '../test/unit/webview/tracePage';
import { asc, numberArg, pct } from './benchKit';

const SPANS = numberArg('spans', 50_000);
const ROUNDS = numberArg('rounds', 3);
const FRAMES = 300;

/** Tasks of a model request and two tool calls, over an hour, 10 agents; a third of the spans carry tokens and cost. */
function trace(count: number, t0: number): TraceSpan[] {
  const out: TraceSpan[] = [];
  for (let i = 0; out.length < count; i++) {
    const start = t0 + i * 200;
    const base = { traceId: `trace-${Math.floor(i / 30)}`, agentId: `agent-${i % 10}`, agentName: `agent ${i % 10}`, status: 'ok' as const, attributes: {} };
    out.push({ ...base, spanId: `m${i}`, kind: 'model', name: 'claude-sonnet-4-5', start, end: start + 80, tokens: { input: 1000, output: 100, cacheRead: 500, cacheWrite: 0 }, costUsd: 0.0045 });
    for (let t = 0; t < 2 && out.length < count; t++) out.push({ ...base, spanId: `t${i}-${t}`, parentSpanId: `m${i}`, kind: 'tool', name: 'Bash', start: start + 90 + t * 50, end: start + 130 + t * 50 });
  }
  return out;
}

const SCROLL = `(async () => {
  const el = document.querySelector('.waterfall');
  const out = [];
  for (let i = 0; i < ${FRAMES}; i++) {
    out.push(await new Promise((resolve) => requestAnimationFrame((ts) => {
      const max = el.scrollHeight - el.clientHeight;
      el.scrollTop = max > 0 ? (el.scrollTop + 240) % max : 0;
      setTimeout(() => resolve(performance.now() - ts), 0);
    })));
  }
  return out;
})()`;
// Appends made in the page (no Playwright transfer in the loop), delivered as VS Code does, one batch a frame.
const LIVE = (round: number) => `(async () => {
  const out = [];
  for (let i = 0; i < ${FRAMES}; i++) {
    out.push(await new Promise((resolve) => requestAnimationFrame((ts) => {
      const now = Date.now();
      const spans = [];
      for (let k = 0; k < 4; k++) spans.push({ traceId: 'live', spanId: 'l${round}-' + i + '-' + k, agentId: 'agent-0', kind: 'model', name: 'live', start: now - 50, end: now, status: 'ok', attributes: {}, tokens: { input: 10, output: 1, cacheRead: 0, cacheWrite: 0 }, costUsd: 0.001 });
      window.dispatchEvent(new MessageEvent('message', { data: { type: 'append', spans, now } }));
      setTimeout(() => resolve(performance.now() - ts), 0);
    })));
  }
  return out;
})()`;

const fmt = (n: number) => `${n.toFixed(1)} ms`;
const line = (label: string, xs: number[]) => {
  const s = asc(xs);
  return `${label.padEnd(30)} n=${String(s.length).padStart(5)}  p50 ${fmt(pct(s, 50)).padStart(9)}  p95 ${fmt(pct(s, 95)).padStart(9)}  max ${fmt(s.at(-1) ?? 0).padStart(9)}`;
};

async function main(): Promise<void> {
  console.log(`Trace cost chart bench: ${SPANS} spans, ${ROUNDS} rounds of ${FRAMES} frames each way; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const browser = await launchChromium();
  try {
    const p = await openTracePage(browser, await bundleTrace());
    await p.waitForReady();
    const now = Date.now();
    await p.page.evaluate((m) => (globalThis as unknown as { dispatchEvent(e: unknown): void; MessageEvent: new (t: string, i: unknown) => unknown }).dispatchEvent(new (globalThis as unknown as { MessageEvent: new (t: string, i: unknown) => unknown }).MessageEvent('message', { data: m })), {
      type: 'snapshot', title: 'Bench', spans: trace(SPANS, now - 3_600_000), now,
    });
    await p.page.waitForFunction((n) => (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document.querySelector('[data-testid=totals]')?.getAttribute('data-spans') === n, String(SPANS));
    const expanded = () => p.page.getAttribute('[data-testid=chart-toggle]', 'aria-expanded').then((v) => v === 'true');
    const frames = { scroll: { shown: [] as number[], folded: [] as number[] }, live: { shown: [] as number[], folded: [] as number[] } };
    for (let round = 0; round < ROUNDS; round++) {
      for (const shown of [true, false]) {
        if ((await expanded()) !== shown) await p.page.click('[data-testid=chart-toggle]');
        const key = shown ? 'shown' : 'folded';
        frames.scroll[key].push(...(await p.page.evaluate<number[]>(SCROLL)));
        frames.live[key].push(...(await p.page.evaluate<number[]>(LIVE(round * 2 + (shown ? 0 : 1)))));
      }
    }
    const points = await p.page.getAttribute('[data-testid=cost-chart]', 'data-points');
    console.log(line('scroll, chart shown', frames.scroll.shown));
    console.log(line('scroll, chart folded', frames.scroll.folded));
    console.log(line('live append, chart shown', frames.live.shown));
    console.log(line('live append, chart folded', frames.live.folded));
    console.log(`chart points (one per pixel + 0): ${points}; page problems: ${p.problems.length === 0 ? 'none' : p.problems.slice(0, 3).join(' | ')}`);
  } finally {
    await browser.close();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
