// The bar above the list: counts, select-all, and the bulk actions (selected / all).
import { el, setText } from '../shared/dom';

function button(label: string, action: string, testid: string, secondary: boolean, title: string): HTMLElementTagNameMap['vscode-button'] {
  const b = el('vscode-button', { data: { action, testid }, attrs: { title } }, label);
  b.secondary = secondary;
  return b;
}

export class Toolbar {
  readonly el: HTMLElement;
  readonly selectAll: HTMLElementTagNameMap['vscode-checkbox'];
  private readonly pendingCount: HTMLElementTagNameMap['vscode-badge'];
  private readonly selectionCount: HTMLElement;
  private readonly selectedButtons: HTMLElementTagNameMap['vscode-button'][];
  private readonly allButtons: HTMLElementTagNameMap['vscode-button'][];

  constructor() {
    this.selectAll = el('vscode-checkbox', { data: { testid: 'select-all' }, attrs: { 'aria-label': 'Select every request' } });
    this.pendingCount = el('vscode-badge', { data: { testid: 'pending-count' }, attrs: { title: 'Requests waiting' } });
    this.pendingCount.variant = 'counter';
    this.selectionCount = el('span', { className: 'selection-count', data: { testid: 'selection-count' } });
    this.selectedButtons = [
      button('Allow selected', 'allow-selected', 'allow-selected', false, 'Allow every selected request'),
      button('Deny selected', 'deny-selected', 'deny-selected', true, 'Deny every selected request'),
    ];
    this.allButtons = [
      button('Approve All', 'allow-all', 'approve-all', false, 'Allow every request shown'),
      button('Reject All', 'deny-all', 'reject-all', true, 'Deny every request shown'),
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
    for (const b of this.selectedButtons) b.disabled = selected === 0;
    for (const b of this.allButtons) b.disabled = actionable === 0;
  }
}
