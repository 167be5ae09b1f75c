// The waterfall: one row per span (nested under its parent), a bar on the time axis coloured by kind and status,
// a live "now" edge while anything runs. Virtualized: only the rows in view (plus a margin) are in the DOM, so a
// trace of tens of thousands of spans scrolls like a short one; a row still in view keeps its node while the span,
// the selection and the time axis are unchanged. Positions are set through CSSOM (allowed by the CSP).
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
  /** The rows in the DOM by key, with what they were drawn from. */
  private shown = new Map<string, { node: HTMLElement; span: Row['span']; index: number; depth: number; axis: string }>();

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
    const height = `${rows.length * ROW_HEIGHT}px`;
    if (this.spacer.style.height !== height) this.spacer.style.height = height;
    const first = Math.max(0, Math.floor(this.element.scrollTop / ROW_HEIGHT) - MARGIN_ROWS);
    const visible = Math.ceil((this.element.clientHeight || 600) / ROW_HEIGHT) + 2 * MARGIN_ROWS;
    const last = Math.min(rows.length, first + visible);
    const axis = `${range.start}/${span}/${this.model.agentId ?? ''}`;
    const next = new Map<string, { node: HTMLElement; span: Row['span']; index: number; depth: number; axis: string }>();
    const fresh: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const r = rows[i]!;
      const k = keyOf(r);
      const old = this.shown.get(k);
      const selected = String(k === this.selectedKey);
      if (old && old.span === r.span && old.depth === r.depth && old.axis.endsWith(`/${selected}`)) {
        // Same span, same look: only its place and, when the axis moved or it runs, its bar.
        if (old.index !== i) old.node.style.top = `${i * ROW_HEIGHT}px`;
        const drawn = `${axis}/${selected}`;
        if (old.axis !== drawn || r.span.end === undefined) this.placeBar(old.node, r, range.start, span, now);
        next.set(k, { ...old, index: i, axis: drawn });
        this.shown.delete(k);
        continue;
      }
      const node = this.row(r, i, range.start, span, now);
      next.set(k, { node, span: r.span, index: i, depth: r.depth, axis: `${axis}/${selected}` });
      fresh.push(node);
    }
    for (const gone of this.shown.values()) gone.node.remove();
    this.shown = next;
    this.element.append(...fresh);
    this.nowEdge.hidden = this.model.running === 0;
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
    setBar(bar, s.start, end, start, total);
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

  /** Moves a kept row's bar to the current axis (a running span also gets its growing duration). */
  private placeBar(node: HTMLElement, r: Row, start: number, total: number, now: number): void {
    const bar = node.querySelector<HTMLElement>('.bar');
    const end = r.span.end ?? now;
    if (bar) setBar(bar, r.span.start, end, start, total);
    if (r.span.end === undefined) {
      const duration = node.querySelector('.duration');
      if (duration) duration.textContent = formatMs(end - r.span.start);
    }
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

function setBar(bar: HTMLElement, spanStart: number, spanEnd: number, start: number, total: number): void {
  bar.style.left = `${((spanStart - start) / total) * 100}%`;
  bar.style.width = `max(2px, ${((spanEnd - spanStart) / total) * 100}%)`;
}
