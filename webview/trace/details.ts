// The details pane of the selected span: every field and attribute as text (agent text never becomes markup); each
// file a tool touched is a link that asks the host for that file's diff in the agent's worktree.
import type { TraceSpan } from '../../src/shared/webview/traceSpan';
import { el } from '../shared/dom';
import { formatMs } from './model';

export interface DetailActions {
  exportTrace(traceId: string): void;
  openFile(agentId: string, path: string): void;
}

export function renderDetails(pane: HTMLElement, span: TraceSpan | undefined, now: number, actions: DetailActions): void {
  pane.replaceChildren();
  if (!span) {
    pane.append(el('p', { className: 'hint', text: 'Select a span to see its details.' }));
    return;
  }
  const fields: [string, string][] = [
    ['Name', span.name],
    ['Kind', span.kind],
    ['Status', span.status],
    ['Agent', span.agentName ?? span.agentId],
    ['Started', new Date(span.start).toISOString()],
    ['Duration', `${formatMs((span.end ?? now) - span.start)}${span.end === undefined ? ' (running)' : ''}`],
  ];
  if (span.model) fields.push(['Model', span.model]);
  if (span.tokens) fields.push(['Tokens', `in ${span.tokens.input}, out ${span.tokens.output}, cache read ${span.tokens.cacheRead}, cache write ${span.tokens.cacheWrite}`]);
  if (span.costUsd !== undefined) fields.push(['Cost', `$${span.costUsd.toFixed(4)}`]);
  for (const [k, v] of Object.entries(span.attributes)) if (k !== 'files') fields.push([k, String(v)]);
  for (const p of span.problems ?? []) fields.push(['Problem', p]);
  fields.push(['Trace id', span.traceId], ['Span id', span.spanId]);
  const list = el('dl', { className: 'fields' });
  const files = typeof span.attributes['files'] === 'string' ? span.attributes['files'].split('\n').filter(Boolean) : [];
  for (const [k, v] of fields) list.append(el('dt', { text: k }), el('dd', { text: v }));
  if (files.length > 0) list.append(el('dt', { text: 'Files' }), el('dd', {}, ...files.map((f) => fileLink(span.agentId, f, actions))));
  const button = el('button', { className: 'export', text: 'Export this trace as OTLP JSON', attrs: { type: 'button' } });
  button.addEventListener('click', () => actions.exportTrace(span.traceId));
  pane.append(el('h2', { text: span.name }), list, button);
}

function fileLink(agentId: string, path: string, actions: DetailActions): HTMLElement {
  const link = el('button', { className: 'file-link', text: path, data: { testid: 'file-link' }, attrs: { type: 'button', title: `Open the diff of ${path}` } });
  link.addEventListener('click', () => actions.openFile(agentId, path));
  return link;
}
