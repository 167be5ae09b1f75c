// The bar above the list: counts, select-all, and the bulk actions (selected / all), in the panel's one vocabulary:
// Allow / Deny.
import { el, setText } from '../shared/dom';
import { panelButton as button, setEnabled } from './buttons';
import type { PanelButton } from './buttons';

export class Toolbar {
  readonly el: HTMLElement;
  readonly selectAll: HTMLElementTagNameMap['vscode-checkbox'];
  private readonly pendingCount: HTMLElementTagNameMap['vscode-badge'];
  private readonly selectionCount: HTMLElement;
  private readonly selectedButtons: PanelButton[];
  private readonly allButtons: PanelButton[];

  constructor() {
    this.selectAll = el('vscode-checkbox', { data: { testid: 'select-all' }, attrs: { 'aria-label': 'Select every request' } });
    this.pendingCount = el('vscode-badge', { data: { testid: 'pending-count' }, attrs: { title: 'Requests waiting' } });
    this.pendingCount.variant = 'counter';
    this.selectionCount = el('span', { className: 'selection-count', data: { testid: 'selection-count' } });
    this.selectedButtons = [
      button('Allow Selected', 'allow-selected', 'allow-selected', true, 'Allow every selected request'),
      button('Deny Selected', 'deny-selected', 'deny-selected', false, 'Deny every selected request'),
    ];
    this.allButtons = [
      button('Allow All', 'allow-all', 'allow-all', true, 'Allow every request shown'),
      button('Deny All', 'deny-all', 'deny-all', false, 'Deny every request shown'),
    ];
    this.el = el('header', { className: 'toolbar', data: { testid: 'toolbar' } },
      this.selectAll,
      el('span', { className: 'title' }, 'Waiting'),
      this.pendingCount,
      this.selectionCount,
      el('span', { className: 'spacer' }),
      ...this.selectedButtons,
      el('span', { className: 'separator', attrs: { 'aria-hidden': 'true' } }),
      ...this.allButtons,
    );
  }

  update(pending: number, selected: number, actionable: number): void {
    setText(this.pendingCount, String(pending));
    setText(this.selectionCount, selected > 0 ? `${selected} selected` : '');
    this.selectAll.checked = pending > 0 && selected === pending;
    this.selectAll.indeterminate = selected > 0 && selected < pending;
    this.selectAll.disabled = pending === 0;
    for (const b of this.selectedButtons) setEnabled(b, selected > 0);
    for (const b of this.allButtons) setEnabled(b, actionable > 0);
  }
}
