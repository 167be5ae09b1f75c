// The spend-over-time chart of the Costs panel: one bar per local day (uPlot), in the theme's chart colours, with a
// legend naming the day under the pointer. The same figures are in the Days table for keyboard and screen readers.
// A theme change (VS Code swaps the body's class and the variables on <html>) redraws it in the new colours.
import uPlot from 'uplot';
import { money } from './format';

const css = (name: string, fallback: string): string => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

export class SpendChart {
  private plot: uPlot | undefined;
  private readonly observer: ResizeObserver;
  private readonly theme: MutationObserver;
  private last: { dayStarts: readonly number[]; values: readonly number[]; label: string } | undefined;

  constructor(private readonly host: HTMLElement) {
    this.observer = new ResizeObserver(() => this.plot?.setSize(this.size()));
    this.observer.observe(host);
    this.theme = new MutationObserver(() => {
      this.plot?.destroy();
      this.plot = undefined;
      if (this.last) this.show(this.last.dayStarts, this.last.values, this.last.label);
    });
    this.theme.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.theme.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(200, this.host.clientWidth), height: 180 };
  }

  /** dayStarts in ms (local midnights); values in dollars. */
  show(dayStarts: readonly number[], values: readonly number[], label: string): void {
    this.last = { dayStarts, values, label };
    const data: uPlot.AlignedData = [dayStarts.map((t) => t / 1000), [...values]];
    if (this.plot) {
      this.plot.setData(data);
      return;
    }
    const fg = css('--vscode-foreground', '#ccc');
    const grid = css('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
    const bar = css('--vscode-charts-blue', '#3794ff');
    this.plot = new uPlot(
      {
        ...this.size(),
        cursor: { drag: { x: false, y: false } },
        legend: { live: true },
        // Half a day either side, so the first and last bars show whole.
        scales: { x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: [
          { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
          { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, values: (_u, splits) => splits.map((v) => money(v)), size: 70 },
        ],
        series: [
          { label: 'Day', value: (_u, v) => (v == null ? '' : new Date(v * 1000).toLocaleDateString()) },
          { label, stroke: bar, fill: bar, width: 0, paths: uPlot.paths.bars!({ size: [0.7, 60], align: 0 }), points: { show: false }, value: (_u, v) => (v == null ? '' : money(v)) },
        ],
      },
      data,
      this.host,
    );
  }

  dispose(): void {
    this.observer.disconnect();
    this.theme.disconnect();
    this.plot?.destroy();
  }
}
