// Entry of the Trace panel webview (bundled to dist/webview/trace.js): validates every host message, renders the
// waterfall once per animation frame however many updates arrive, remembers its scroll/selection across reloads,
// and says `ready` once it listens.
import '../shared/zodConfig';
import './trace.css';
import { parseTraceHostMessage } from '../../src/shared/webview/traceProtocol';
import type { TraceWebviewMessage } from '../../src/shared/webview/traceProtocol';
import { el } from '../shared/dom';
import { onHostMessage } from '../shared/hostMessages';
import { vscodeApi } from '../shared/vscodeApi';
import { renderDetails } from './details';
import { formatMs, TraceModel } from './model';
import { Waterfall } from './waterfall';

interface SavedState {
  agentId?: string;
  selected?: string;
  filter?: string;
}

const api = vscodeApi<SavedState>();
const post = (m: TraceWebviewMessage) => api.postMessage(m);
const saved = api.getState() ?? {};
const model = new TraceModel();
if (saved.filter) model.setFilter(saved.filter);

const title = el('span', { className: 'title', text: 'Trace' });
const totals = el('span', { className: 'totals', data: { testid: 'totals' }, attrs: { 'aria-live': 'polite' } });
const filter = el('input', { className: 'filter', attrs: { type: 'search', placeholder: 'Filter spans (name, kind, status, agent, text)', 'aria-label': 'Filter spans' } });
filter.value = saved.filter ?? '';
const details = el('aside', { className: 'details', data: { testid: 'details' }, attrs: { 'aria-label': 'Span details' } });
const exportTrace = (traceId: string) => post({ type: 'export', traceId });
const waterfall = new Waterfall(model, (row) => {
  renderDetails(details, row?.span, model.now(Date.now()), exportTrace);
  save();
});
waterfall.selectedKey = saved.selected;
const root = document.getElementById('root') ?? document.body;
root.append(el('div', { className: 'toolbar' }, title, totals, filter), el('div', { className: 'main' }, waterfall.element, details));

function save(): void {
  api.setState({ ...(model.agentId ? { agentId: model.agentId } : {}), ...(waterfall.selectedKey ? { selected: waterfall.selectedKey } : {}), filter: filter.value });
}

let frame = 0;
function schedule(): void {
  frame ||= requestAnimationFrame(() => {
    frame = 0;
    const t = model.totals();
    title.textContent = model.title;
    totals.textContent = `${t.spans} spans · ${t.tokensIn} tokens in, ${t.tokensOut} out · $${t.costUsd.toFixed(4)} · waited ${formatMs(t.approvalWaitMs)} for ${t.approvals} approval${t.approvals === 1 ? '' : 's'}${t.running > 0 ? ` · ${t.running} running` : ''}`;
    waterfall.render(Date.now());
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
  if (m.type === 'snapshot') model.snapshot(m.title, m.agentId, m.spans, m.now, Date.now());
  else model.append(m.spans, m.now, Date.now());
  save();
  if (waterfall.selectedKey) renderDetails(details, model.rows().find((r) => `${r.span.traceId}/${r.span.spanId}` === waterfall.selectedKey)?.span, model.now(Date.now()), exportTrace);
  schedule();
});
renderDetails(details, undefined, Date.now(), exportTrace);
post({ type: 'ready' });
