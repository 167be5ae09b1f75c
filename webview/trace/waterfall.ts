// The waterfall: one row per span (nested under its parent), a bar on the time axis coloured by kind and status,
// a live "now" edge while anything runs. Virtualized: only the rows in view (plus a margin) are in the DOM, so a
// trace of tens of thousands of spans scrolls like a short one. Positions are set through CSSOM (allowed by the CSP).
import { el } from '../shared/dom';
import { formatMs } from './model';
import type { Row, TraceModel } from './model';

export const ROW_HEIGHT = 24;
const MARGIN_ROWS = 20;

export class Waterfall {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly nowEdge: HTMLElement;
  selectedKey: string | undefined;

  constructor(
    private readonly model: TraceModel,
    private readonly onSelect: (row: Row | undefined) => void,
  ) {
    this.spacer = el('div', { className: 'spacer-rows' });
    this.nowEdge = el('div', { className: 'now-edge', attrs: { 'aria-hidden': 'true' } });
    this.element = el('div', { className: 'waterfall', attrs: { role: 'listbox', tabindex: '0', 'aria-label': 'Spans' } }, this.spacer, this.nowEdge);
    this.element.addEventListener('scroll', () => this.render(Date.now()));
    this.element.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('.row');
      if (row?.dataset.key) this.select(row.dataset.key);
    });
    this.element.addEventListener('keydown', (e) => this.key(e));
  }

  select(k: string | undefined): void {
    this.selectedKey = k;
    const rows = this.model.rows();
    const index = rows.findIndex((r) => keyOf(r) === k);
    this.onSelect(index >= 0 ? rows[index] : undefined);
    if (index >= 0) {
      const top = index * ROW_HEIGHT;
      if (top < this.element.scrollTop) this.element.scrollTop = top;
      else if (top + ROW_HEIGHT > this.element.scrollTop + this.element.clientHeight) this.element.scrollTop = top + ROW_HEIGHT - this.element.clientHeight;
    }
    this.render(Date.now());
  }

  render(pageNow: number): void {
    const rows = this.model.rows();
    const now = this.model.now(pageNow);
    const range = this.model.range(now);
    const span = range.end - range.start;
    this.spacer.style.height = `${rows.length * ROW_HEIGHT}px`;
    const first = Math.max(0, Math.floor(this.element.scrollTop / ROW_HEIGHT) - MARGIN_ROWS);
    const visible = Math.ceil((this.element.clientHeight || 600) / ROW_HEIGHT) + 2 * MARGIN_ROWS;
    const last = Math.min(rows.length, first + visible);
    const nodes: HTMLElement[] = [];
    for (let i = first; i < last; i++) nodes.push(this.row(rows[i]!, i, range.start, span, now));
    for (const old of this.element.querySelectorAll('.row')) old.remove();
    this.element.append(...nodes);
    const running = rows.some((r) => r.span.status === 'running');
    this.nowEdge.hidden = !running;
  }

  private row(r: Row, index: number, start: number, total: number, now: number): HTMLElement {
    const s = r.span;
    const end = s.end ?? now;
    const k = keyOf(r);
    const duration = formatMs(end - s.start);
    const who = this.model.agentId === undefined && r.depth === 0 ? `${s.agentName ?? s.agentId} · ` : '';
    const label = el('span', { className: 'label', text: `${who}${s.name}` });
    label.style.paddingLeft = `${4 + r.depth * 14}px`;
    const bar = el('span', { className: `bar kind-${s.kind} status-${s.status}` });
    bar.style.left = `${((s.start - start) / total) * 100}%`;
    bar.style.width = `max(2px, ${((end - s.start) / total) * 100}%)`;
    const track = el('span', { className: 'track' }, bar);
    const node = el(
      'div',
      {
        className: `row${k === this.selectedKey ? ' selected' : ''}${r.orphan || s.problems ? ' problem' : ''}`,
        data: { key: k, testid: 'span-row', kind: s.kind, status: s.status },
        attrs: { role: 'option', 'aria-selected': k === this.selectedKey ? 'true' : 'false', 'aria-label': `${s.kind} ${s.name}, ${s.status}, ${duration}` },
      },
      label,
      track,
      el('span', { className: 'duration', text: duration }),
    );
    node.style.top = `${index * ROW_HEIGHT}px`;
    return node;
  }

  private key(e: KeyboardEvent): void {
    const rows = this.model.rows();
    if (rows.length === 0) return;
    const index = rows.findIndex((r) => keyOf(r) === this.selectedKey);
    let next = index;
    if (e.key === 'ArrowDown') next = Math.min(rows.length - 1, index + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, index - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = rows.length - 1;
    else return;
    e.preventDefault();
    this.select(keyOf(rows[next]!));
  }
}

export const keyOf = (r: Row) => `${r.span.traceId}/${r.span.spanId}`;
