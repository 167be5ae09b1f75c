// Entry of the Trace panel webview (bundled to dist/webview/trace.js): validates every host message, renders the
// waterfall once per animation frame however many updates arrive, filters by text, agent, kind and status (the totals
// follow the filters), remembers selection and filters across reloads, and says `ready` once it listens.
import '../shared/zodConfig';
import './trace.css';
import { parseTraceHostMessage } from '../../src/shared/webview/traceProtocol';
import type { TraceWebviewMessage } from '../../src/shared/webview/traceProtocol';
import { el } from '../shared/dom';
import { onHostMessage } from '../shared/hostMessages';
import { vscodeApi } from '../shared/vscodeApi';
import { SPAN_KINDS, SPAN_STATUSES } from '../../src/shared/webview/traceSpan';
import { CostChart } from './chart';
import { renderDetails } from './details';
import type { DetailActions } from './details';
import { formatMs, TraceModel } from './model';
import type { Facet, Facets, Totals } from './model';
import { Waterfall } from './waterfall';

interface SavedState {
  agentId?: string;
  selected?: string;
  filter?: string;
  facets?: Partial<Facets>;
  /** The cost chart folded away. */
  chartCollapsed?: boolean;
}

const api = vscodeApi<SavedState>();
const post = (m: TraceWebviewMessage) => api.postMessage(m);
const saved = api.getState() ?? {};
const model = new TraceModel();
if (saved.filter) model.setFilter(saved.filter);
for (const [k, v] of Object.entries(saved.facets ?? {})) if (typeof v === 'string') model.setFacet(k as Facet, v);

const title = el('span', { className: 'title', text: 'Trace' });
const totals = el('span', { className: 'totals', data: { testid: 'totals' }, attrs: { 'aria-live': 'polite' } });
const filter = el('input', { className: 'filter', attrs: { type: 'search', placeholder: 'Filter spans (name, kind, status, agent, text)', 'aria-label': 'Filter spans' } });
filter.value = saved.filter ?? '';
const details = el('aside', { className: 'details', data: { testid: 'details' }, attrs: { 'aria-label': 'Span details' } });
const actions: DetailActions = {
  exportTrace: (traceId) => post({ type: 'export', traceId }),
  openFile: (agentId, path) => post({ type: 'openFile', agentId, path }),
};
const waterfall = new Waterfall(model, (row) => {
  renderDetails(details, row?.span, model.now(Date.now()), actions);
  save();
});

/** A select filter: '' (all) plus the given choices; the agent filter's choices follow the spans. */
function facetSelect(facet: Facet, label: string, choices: readonly { value: string; text: string }[]): HTMLSelectElement {
  const select = el('select', { className: 'facet', data: { testid: `filter-${facet}` }, attrs: { 'aria-label': label } });
  setChoices(select, label, choices, model.facets[facet]);
  select.addEventListener('change', () => {
    model.setFacet(facet, select.value);
    save();
    schedule();
  });
  return select;
}

function setChoices(select: HTMLSelectElement, label: string, choices: readonly { value: string; text: string }[], value: string): void {
  const all = [{ value: '', text: `All ${label.toLowerCase()}` }, ...choices];
  if (value && !all.some((c) => c.value === value)) all.push({ value, text: value });
  if (select.options.length === all.length && all.every((c, i) => select.options[i]!.value === c.value && select.options[i]!.text === c.text)) return;
  select.replaceChildren(...all.map((c) => el('option', { text: c.text, attrs: { value: c.value } })));
  select.value = value;
}

const agentFilter = facetSelect('agent', 'Agents', []);
const kindFilter = facetSelect('kind', 'Kinds', SPAN_KINDS.map((k) => ({ value: k, text: k })));
const statusFilter = facetSelect('status', 'Statuses', SPAN_STATUSES.map((k) => ({ value: k, text: k })));
waterfall.selectedKey = saved.selected;
const chart = new CostChart(
  model,
  saved.chartCollapsed === true,
  () => {
    save();
    schedule();
  },
  () => schedule(),
);
// The chart keeps its plot over the rows' track: as wide as the waterfall without its scrollbar (which comes and goes
// with the rows; a resize of the waterfall's content box says so, outside the frame).
new ResizeObserver(() => chart.setGutter(waterfall.element.offsetWidth - waterfall.element.clientWidth)).observe(waterfall.element);
const root = document.getElementById('root') ?? document.body;
/** One agent's scorecard (fleet health), as text lines; hidden for the fleet timeline. */
const scorecard = el('div', { className: 'scorecard', data: { testid: 'scorecard' }, attrs: { 'aria-label': 'Scorecard' } });
scorecard.hidden = true;
root.append(el('div', { className: 'toolbar' }, title, totals, agentFilter, kindFilter, statusFilter, filter), scorecard, el('div', { className: 'main' }, el('div', { className: 'timeline' }, chart.element, waterfall.element), details));

function save(): void {
  api.setState({ ...(model.agentId ? { agentId: model.agentId } : {}), ...(waterfall.selectedKey ? { selected: waterfall.selectedKey } : {}), filter: filter.value, facets: { ...model.facets }, chartCollapsed: chart.collapsed });
}

/** The totals as words, and as exact numbers in data-* attributes (what tests and screen readers can rely on). */
function showTotals(t: Totals): void {
  const text = `${t.spans} spans · ${t.input} in, ${t.tokensOut} out, ${t.cacheRead} cache read, ${t.cacheWrite} cache write tokens · $${t.costUsd.toFixed(4)} · waited ${formatMs(t.approvalWaitMs)} for ${t.approvals} approval${t.approvals === 1 ? '' : 's'}${t.running > 0 ? ` · ${t.running} running` : ''}`;
  if (totals.textContent !== text) totals.textContent = text;
  Object.assign(totals.dataset, { spans: String(t.spans), input: String(t.input), output: String(t.tokensOut), cacheRead: String(t.cacheRead), cacheWrite: String(t.cacheWrite), costUsd: String(t.costUsd) });
}

let frame = 0;
function schedule(): void {
  frame ||= requestAnimationFrame(() => {
    frame = 0;
    if (title.textContent !== model.title) title.textContent = model.title;
    // One agent's trace needs no agent filter.
    agentFilter.hidden = model.agentId !== undefined;
    if (!agentFilter.hidden) setChoices(agentFilter, 'Agents', model.agents().map((a) => ({ value: a.id, text: a.name })), model.facets.agent);
    showTotals(model.totals());
    waterfall.render(Date.now());
    chart.render(model.now(Date.now()));
  });
}

filter.addEventListener('input', () => {
  model.setFilter(filter.value);
  save();
  schedule();
});
// The live edge moves while something runs.
setInterval(() => {
  if (model.totals().running > 0) schedule();
}, 1000);

onHostMessage(parseTraceHostMessage, (m) => {
  if (m.type === 'scorecard') {
    scorecard.replaceChildren(...m.lines.map((line) => el('div', { className: line.startsWith('  ') ? 'evidence' : 'line', text: line.trim() })));
    scorecard.hidden = m.lines.length === 0;
    return;
  }
  if (m.type === 'snapshot') model.snapshot(m.title, m.agentId, m.spans, m.now, Date.now());
  else model.append(m.spans, m.now, Date.now());
  save();
  if (waterfall.selectedKey) renderDetails(details, model.rows().find((r) => `${r.span.traceId}/${r.span.spanId}` === waterfall.selectedKey)?.span, model.now(Date.now()), actions);
  schedule();
});
renderDetails(details, undefined, Date.now(), actions);
post({ type: 'ready' });
