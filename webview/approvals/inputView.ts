// Renders a request's input preview as DOM (text nodes only): the command in a code block, a path, a diff.
import { append, el } from '../shared/dom';
import type { Field, Hunk, InputPreview } from './inputPreview';

function fieldList(fields: readonly Field[]): HTMLElement | null {
  if (fields.length === 0) return null;
  const list = el('dl', { className: 'fields' });
  for (const f of fields) list.append(el('dt', { text: f.label }), el('dd', { text: f.value }));
  return list;
}

function hunkView(hunk: Hunk): HTMLElement {
  const pre = el('pre', { className: 'diff', data: { testid: 'request-diff' } });
  for (const line of hunk.lines) {
    const kind = line.kind === '+' ? 'add' : line.kind === '-' ? 'del' : 'ctx';
    pre.append(el('span', { className: `line ${kind}`, text: `${line.kind} ${line.text}\n` }));
  }
  if (hunk.moreLines > 0) pre.append(el('span', { className: 'line more', text: `… ${hunk.moreLines} more lines\n` }));
  return pre;
}

function pathView(path: string): HTMLElement {
  return el('div', { className: 'path', data: { testid: 'request-path' }, attrs: { title: path } }, path);
}

export function renderInput(preview: InputPreview): HTMLElement {
  const box = el('div', { className: `input input-${preview.kind}`, data: { testid: 'request-input' } });
  switch (preview.kind) {
    case 'command':
      box.append(el('pre', { className: 'command', data: { testid: 'request-command' }, text: preview.command }));
      if (preview.hidden) {
        const n = preview.hidden;
        box.append(el('div', { className: 'description hidden-chars', data: { testid: 'request-hidden-chars' } },
          `${n} invisible or control character${n === 1 ? '' : 's'} shown as \\u escapes: the command runs them as they are`));
      }
      if (preview.description) box.append(el('div', { className: 'description', text: preview.description }));
      if (preview.background) box.append(el('div', { className: 'description', text: 'runs in the background' }));
      break;
    case 'file':
      box.append(pathView(preview.path));
      append(box, fieldList(preview.fields));
      break;
    case 'diff':
      box.append(pathView(preview.path));
      if (preview.replaceAll) box.append(el('div', { className: 'description', text: 'replaces every occurrence' }));
      for (const hunk of preview.hunks) box.append(hunkView(hunk));
      break;
    case 'fields':
      append(box, fieldList(preview.fields));
      break;
    case 'json':
      box.append(el('pre', { className: 'json', text: preview.text }));
      break;
  }
  return box;
}
