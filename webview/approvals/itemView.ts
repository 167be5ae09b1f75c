// One pending request as DOM: header (select, tool, escalation, age), summary, input preview, where it runs and the
// rule that sent it here, and its actions. Agent-supplied text only ever enters as text nodes.
import type { PendingApproval } from '../../src/shared/approval';
import { codicon, el, setText } from '../shared/dom';
import { previewInput, toolIcon } from './inputPreview';
import { renderInput } from './inputView';

function button(label: string, action: string, testid: string, secondary: boolean, title?: string): HTMLElementTagNameMap['vscode-button'] {
  const b = el('vscode-button', { data: { action, testid }, attrs: { title } }, label);
  if (secondary) b.secondary = true;
  return b;
}

function metaEntry(label: string, value: string | undefined, testid: string): HTMLElement[] {
  return value === undefined ? [] : [el('dt', { text: label }), el('dd', { data: { testid }, attrs: { title: value } }, value)];
}

export class ItemView {
  readonly el: HTMLElement;
  private readonly checkbox: HTMLElementTagNameMap['vscode-checkbox'];
  private readonly age: HTMLElement;
  private readonly escalatedMark: HTMLElement;
  private readonly buttons: HTMLElementTagNameMap['vscode-button'][];
  private form: { box: HTMLElement; field: HTMLElementTagNameMap['vscode-textfield'] } | undefined;

  constructor(public request: PendingApproval) {
    const r = request;
    this.checkbox = el('vscode-checkbox', { data: { testid: 'request-select' }, attrs: { 'aria-label': `Select ${r.summary}`, tabindex: '-1' } });
    this.age = el('span', { className: 'age', data: { testid: 'request-age' } });
    this.escalatedMark = el('span', { className: 'escalated', data: { testid: 'request-escalated' }, attrs: { title: 'Waiting long: escalated' } }, codicon('warning'), 'Escalated');
    this.buttons = [
      button('Allow', 'allow', 'request-allow', false, 'Allow (A)'),
      button('Deny', 'deny', 'request-deny', true, 'Deny (D)'),
      button('Deny with message…', 'message', 'request-deny-message', true, 'Deny and tell the agent why (Enter)'),
    ];
    this.el = el(
      'article',
      { className: 'request', data: { testid: 'request', requestId: r.id, agentId: r.agentId, tool: r.tool }, attrs: { tabindex: '-1', 'aria-label': `${r.agentName}: ${r.summary}` } },
      el('div', { className: 'request-head' },
        this.checkbox,
        codicon(toolIcon(r.tool), 'tool-icon'),
        el('span', { className: 'tool', data: { testid: 'request-tool' } }, r.tool),
        this.escalatedMark,
        this.age,
      ),
      el('div', { className: 'summary', data: { testid: 'request-summary' } }, r.summary),
      renderInput(previewInput(r.tool, r.input)),
      el('dl', { className: 'meta' },
        ...metaEntry('Directory', r.cwd, 'request-cwd'),
        ...metaEntry('Rule', r.rule, 'request-rule'),
        ...metaEntry('Tier', r.tier, 'request-tier'),
      ),
      el('div', { className: 'actions' }, ...this.buttons),
    );
    this.update(request);
  }

  get id(): string {
    return this.request.id;
  }

  /** A request's id never changes its content; only escalation does. */
  update(request: PendingApproval): void {
    this.request = request;
    this.el.dataset.escalated = String(request.escalated);
    this.escalatedMark.hidden = !request.escalated;
  }

  setAge(text: string): void {
    setText(this.age, text);
  }

  setSelected(selected: boolean): void {
    if ((this.el.dataset.selected === 'true') === selected && this.el.dataset.selected !== undefined) return;
    this.el.dataset.selected = String(selected);
    if (this.checkbox.checked !== selected) this.checkbox.checked = selected;
  }

  /** Sent, not answered yet: the buttons rest until the host answers. */
  setDeciding(deciding: boolean): void {
    if ((this.el.dataset.deciding === 'true') === deciding) return;
    this.el.dataset.deciding = String(deciding);
    for (const b of this.buttons) b.disabled = deciding;
    if (this.form) for (const b of this.form.box.querySelectorAll('vscode-button')) b.disabled = deciding;
  }

  /** The one request reachable by Tab (roving tabindex). */
  setActive(active: boolean): void {
    const tabIndex = active ? 0 : -1;
    if (this.el.tabIndex !== tabIndex) this.el.tabIndex = tabIndex;
  }

  get messageOpen(): boolean {
    return this.form !== undefined && !this.form.box.hidden;
  }

  get draft(): string {
    return this.form?.field.value ?? '';
  }

  openMessage(draft?: string): void {
    if (!this.form) {
      const field = el('vscode-textfield', {
        data: { testid: 'request-message' },
        attrs: { placeholder: 'Why? The agent reads this (Enter sends, Escape cancels)', 'aria-label': 'Message to the agent' },
      });
      const box = el('div', { className: 'message', data: { testid: 'request-message-form' } },
        field,
        button('Deny', 'send', 'request-message-send', false),
        button('Cancel', 'cancel', 'request-message-cancel', true),
      );
      this.el.append(box);
      this.form = { box, field };
    }
    if (draft !== undefined) this.form.field.value = draft;
    this.form.box.hidden = false;
  }

  closeMessage(): void {
    if (this.form) this.form.box.hidden = true;
  }

  focus(): void {
    this.el.focus({ preventScroll: false });
  }

  /** Focuses the message field once it has rendered (it is created on first use). */
  focusMessage(): void {
    const field = this.form?.field;
    if (field) void field.updateComplete.then(() => field.focus());
  }
}
