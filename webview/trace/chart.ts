// The cost chart above the waterfall: cumulative dollars and tokens of the spans the filters show, on the waterfall's
// time axis (its plot lines up with the bars' track), drawn by uPlot on a canvas (no inline styles or eval: the strict
// CSP holds). Collapsible; redrawn only from the panel's animation frame and only when the spans, filters, axis or
// width changed; the series is cut to one point per pixel; colours come from the VS Code theme's CSS variables.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { el, setText } from '../shared/dom';
import { cumulativeSeries } from './cumulative';
import type { CumulativeSeries } from './cumulative';
import { formatMs } from './model';
import type { TraceModel } from './model';

const HEIGHT = 96;

export function formatTokens(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1_000_000).toFixed(2)}M`;
}

/** The chart's text alternative: what it ends at, and over how long. */
export function describeSeries(s: Pick<CumulativeSeries, 'totalCost' | 'totalTokens'>, spanMs: number): string {
  return `Cumulative cost and tokens: $${s.totalCost.toFixed(4)} and ${formatTokens(s.totalTokens)} tokens (${Math.round(s.totalTokens)}) over ${formatMs(spanMs)}`;
}

/** A tick label this close to either end would be cut in half (the plot has no side padding, to line up with the bars). */
const edge = (ms: number, axisMs: number) => ms < axisMs * 0.04 || ms > axisMs * 0.96;

export class CostChart {
  readonly element: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly legend: HTMLElement;
  private readonly costText = el('span', { className: 'chart-cost' });
  private readonly tokensText = el('span', { className: 'chart-tokens' });
  private readonly plotBox: HTMLElement;
  private readonly body: HTMLElement;
  /** Right padding that keeps the plot over the rows' track when the waterfall shows a scrollbar. */
  private gutter = -1;
  private plot: uPlot | undefined;
  /** What the chart was last drawn from: model version, axis, width. */
  private drawn = '';
  private axisMs = 1;
  private width = 0;

  constructor(
    private readonly model: TraceModel,
    public collapsed: boolean,
    /** After a click on the toggle (the panel saves its state and schedules a frame). */
    private readonly onToggle: () => void,
    /** Asks for a frame (a resize, a theme change). */
    private readonly schedule: () => void,
  ) {
    this.toggle = el('button', { className: 'chart-toggle', data: { testid: 'chart-toggle' }, attrs: { type: 'button', 'aria-controls': 'cost-chart' } });
    this.legend = el('div', { className: 'chart-legend', attrs: { 'aria-hidden': 'true' } }, this.costText, this.tokensText);
    this.plotBox = el('div', { className: 'chart-plot', attrs: { 'aria-hidden': 'true' } });
    this.body = el('div', { className: 'chart-body', attrs: { id: 'cost-chart', role: 'img', 'aria-label': 'Cumulative cost and tokens: nothing yet' }, data: { testid: 'cost-chart' } }, this.plotBox);
    // Three columns like a waterfall row: the toggle and legend over the labels, the plot over the bars' track.
    this.element = el('section', { className: 'cost-chart', attrs: { 'aria-label': 'Cost and tokens over time' } }, el('div', { className: 'chart-head' }, this.toggle, this.legend), this.body, el('span'));
    this.toggle.addEventListener('click', () => {
      this.collapsed = !this.collapsed;
      this.drawn = '';
      this.onToggle();
    });
    new ResizeObserver(() => {
      const width = Math.floor(this.plotBox.clientWidth);
      if (width !== this.width) {
        this.width = width;
        this.schedule();
      }
    }).observe(this.plotBox);
    // A theme change sets the body's class (light, dark, high contrast) and the variables on <html>: draw again with
    // its colours.
    const restyle = new MutationObserver(() => {
      this.plot?.destroy();
      this.plot = undefined;
      this.drawn = '';
      this.schedule();
    });
    restyle.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
    restyle.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
    this.applyCollapsed();
  }

  /** Called from the panel's animation frame; cheap when nothing changed. */
  /** The waterfall's scrollbar width (read by the panel when the waterfall resizes, not in a frame). */
  setGutter(px: number): void {
    if (px === this.gutter) return;
    this.gutter = px;
    this.element.style.paddingRight = `${px}px`;
  }

  render(now: number): void {
    this.applyCollapsed();
    if (this.collapsed || this.width <= 0) return;
    const range = this.model.range(now);
    const key = `${this.model.version}/${range.start}/${range.end}/${this.width}`;
    if (key === this.drawn) return;
    this.drawn = key;
    const series = cumulativeSeries(this.model.charged(), range, now, this.width);
    this.axisMs = range.end - range.start;
    const data: uPlot.AlignedData = [series.x, series.cost, series.tokens];
    if (!this.plot) this.plot = this.create(data);
    else {
      if (this.plot.width !== this.width) this.plot.setSize({ width: this.width, height: HEIGHT });
      this.plot.setData(data);
    }
    const body = this.body;
    body.setAttribute('aria-label', describeSeries(series, this.axisMs));
    Object.assign(body.dataset, { costUsd: String(series.totalCost), tokens: String(series.totalTokens), points: String(series.x.length) });
    setText(this.costText, `$${series.totalCost.toFixed(4)}`);
    setText(this.tokensText, `${formatTokens(series.totalTokens)} tokens`);
  }

  private applyCollapsed(): void {
    const expanded = String(!this.collapsed);
    if (this.toggle.getAttribute('aria-expanded') === expanded) return;
    this.toggle.setAttribute('aria-expanded', expanded);
    this.toggle.replaceChildren(el('span', { className: `codicon codicon-chevron-${this.collapsed ? 'right' : 'down'}`, attrs: { 'aria-hidden': 'true' } }), 'Cost and tokens');
    this.body.hidden = this.collapsed;
    this.legend.hidden = this.collapsed;
  }

  private create(data: uPlot.AlignedData): uPlot {
    const css = getComputedStyle(document.body);
    const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    const cost = v('--vscode-charts-orange', '#d18616');
    const tokens = v('--vscode-charts-blue', '#3794ff');
    const text = v('--vscode-descriptionForeground', '#888');
    const grid = v('--vscode-editorWidget-border', v('--vscode-panel-border', '#8884'));
    const font = `10px ${v('--vscode-font-family', 'sans-serif')}`;
    const hidden: uPlot.Axis = { show: false };
    return new uPlot(
      {
        width: this.width,
        height: HEIGHT,
        padding: [4, 0, 0, 0],
        legend: { show: false },
        cursor: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        scales: {
          x: { time: false, range: () => [0, this.axisMs] },
          usd: { range: (_u, _min, max) => [0, max > 0 ? max : 1] },
          tokens: { range: (_u, _min, max) => [0, max > 0 ? max : 1] },
        },
        axes: [
          { stroke: text, font, size: 22, gap: 2, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1, size: 3 }, values: (_u, splits) => splits.map((ms) => (edge(ms, this.axisMs) ? '' : `+${formatMs(ms)}`)) },
          { ...hidden, scale: 'usd' },
          { ...hidden, scale: 'tokens' },
        ],
        series: [{}, { label: 'Cost', scale: 'usd', stroke: cost, width: 1.5, points: { show: false } }, { label: 'Tokens', scale: 'tokens', stroke: tokens, width: 1.5, dash: [4, 3], points: { show: false } }],
      },
      data,
      this.plotBox,
    );
  }
}
