// One pending request as DOM: header (select, tool, escalation, age), the input preview (the command once: the
// one-line summary only where the preview is raw JSON), where it runs and the rule that sent it here, and its actions.
// Agent-supplied text only ever enters as text nodes.
import type { PendingApproval } from '../../src/shared/approval';
import { visible } from '../../src/shared/visibleText';
import { codicon, el, setText } from '../shared/dom';
import { panelButton, setEnabled } from './buttons';
import type { PanelButton } from './buttons';
import { previewInput, toolIcon } from './inputPreview';
import { renderInput } from './inputView';


function metaEntry(label: string, value: string | undefined, testid: string): HTMLElement[] {
  if (value === undefined) return [];
  const shown = visible(value);
  return [el('dt', { text: label }), el('dd', { data: { testid }, attrs: { title: shown } }, shown)];
}

/**
 * Built in two steps so a thousand requests paint fast: the text at once, the controls (checkbox and buttons,
 * custom elements with shadow roots, the costly part) by `hydrate()` when the request nears the viewport or gets focus.
 */
export class ItemView {
  readonly el: HTMLElement;
  private readonly head: HTMLElement;
  private readonly actions: HTMLElement;
  private readonly age: HTMLElement;
  private readonly escalatedMark: HTMLElement;
  private checkbox: HTMLElementTagNameMap['vscode-checkbox'] | undefined;
  private buttons: PanelButton[] = [];
  private form: { box: HTMLElement; field: HTMLElementTagNameMap['vscode-textfield'] } | undefined;
  private selected = false;
  private deciding = false;

  constructor(public request: PendingApproval) {
    const r = request;
    // Agent-supplied names and summaries: hidden characters shown as escapes.
    const tool = visible(r.tool);
    const summary = visible(r.summary);
    this.age = el('span', { className: 'age', data: { testid: 'request-age' } });
    this.escalatedMark = el('span', { className: 'escalated', data: { testid: 'request-escalated' }, attrs: { title: 'Waiting long: escalated' } }, codicon('warning'), 'Escalated');
    this.head = el('div', { className: 'request-head' },
      el('span', { className: 'select-slot' }),
      codicon(toolIcon(r.tool), 'tool-icon'),
      el('span', { className: 'tool', data: { testid: 'request-tool' } }, tool),
      this.escalatedMark,
      this.age,
    );
    this.actions = el('div', { className: 'actions' });
    const preview = previewInput(r.tool, r.input);
    this.el = el(
      'article',
      {
        className: 'request',
        data: { testid: 'request', requestId: r.id, agentId: r.agentId, tool: r.tool, selected: 'false', deciding: 'false', hydrated: 'false' },
        attrs: { tabindex: '-1', 'aria-label': `${visible(r.agentName)}: ${summary}` },
      },
      this.head,
      preview.kind === 'json' ? el('div', { className: 'summary', data: { testid: 'request-summary' } }, summary) : null,
      renderInput(preview),
      r.reason ? el('div', { className: 'reason', data: { testid: 'request-reason' } }, visible(r.reason)) : null,
      el('dl', { className: 'meta' },
        ...metaEntry('Directory', r.cwd, 'request-cwd'),
        ...metaEntry('Rule', r.rule, 'request-rule'),
        ...metaEntry('Tier', r.tier, 'request-tier'),
      ),
      this.actions,
    );
    this.update(request);
  }

  get hydrated(): boolean {
    return this.checkbox !== undefined;
  }

  /** Adds the controls (once). */
  hydrate(): void {
    if (this.checkbox) return;
    this.checkbox = el('vscode-checkbox', { data: { testid: 'request-select' }, attrs: { 'aria-label': `Select ${visible(this.request.summary)}`, tabindex: '-1' } });
    this.checkbox.checked = this.selected;
    this.head.firstElementChild!.replaceWith(this.checkbox);
    this.buttons = [
      panelButton('Allow', 'allow', 'request-allow', true, 'Allow (A)'),
      panelButton('Deny', 'deny', 'request-deny', false, 'Deny (D)'),
      panelButton('Deny with message…', 'message', 'request-deny-message', false, 'Deny and tell the agent why (Enter)'),
      panelButton('Always allow for this agent', 'always-agent', 'request-always-agent', false,
        `Allow this, and from now on let ${visible(this.request.agentName)} do exactly this again (same tool and the same command, file or URL) without asking: adds a rule to .flotilla/policy.json`),
      panelButton('Always allow for this session', 'always-session', 'request-always-session', false,
        `Allow this, and let ${visible(this.request.agentName)} do exactly this again (same tool and the same command, file or URL) without asking until its current session ends: the rule is kept in memory only`),
    ];
    for (const b of this.buttons) setEnabled(b, !this.deciding);
    this.actions.append(...this.buttons);
    this.el.dataset.hydrated = 'true';
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
    if (this.selected === selected) return;
    this.selected = selected;
    this.el.dataset.selected = String(selected);
    if (this.checkbox && this.checkbox.checked !== selected) this.checkbox.checked = selected;
  }

  /** Sent, not answered yet: the buttons rest until the host answers. */
  setDeciding(deciding: boolean): void {
    if (this.deciding === deciding) return;
    this.deciding = deciding;
    this.el.dataset.deciding = String(deciding);
    for (const b of this.buttons) setEnabled(b, !deciding);
    if (this.form) for (const b of this.form.box.querySelectorAll('vscode-button')) setEnabled(b, !deciding);
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
    this.hydrate();
    if (!this.form) {
      const field = el('vscode-textfield', {
        data: { testid: 'request-message' },
        attrs: { placeholder: 'Why? The agent reads this (Enter sends, Escape cancels)', 'aria-label': 'Message to the agent' },
      });
      const box = el('div', { className: 'message', data: { testid: 'request-message-form' } },
        field,
        panelButton('Deny', 'send', 'request-message-send', true),
        panelButton('Cancel', 'cancel', 'request-message-cancel', false),
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
    this.hydrate();
    this.el.focus({ preventScroll: false });
  }

  /** Focuses the message field once it has rendered (it is created on first use). */
  focusMessage(): void {
    const field = this.form?.field;
    if (field) void field.updateComplete.then(() => field.focus());
  }
}
