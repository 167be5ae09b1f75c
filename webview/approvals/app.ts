// The Approvals panel in the webview: holds what the host last said is pending plus the reviewer's own state
// (selection, focus, drafts), renders it through ListView, and turns clicks and keys into `decide` requests.
// Its notices ("1 request answered.") are transient: gone after a few seconds, or at once when new requests arrive.
import type { ApprovalDecision, PendingApproval } from '../../src/shared/approval';
import type { AgentContext, AlwaysAllowScope, DecideResult, StateMessage } from '../../src/shared/webview/approvalsProtocol';
import { codicon, el, setText } from '../shared/dom';
import { ListView } from './listView';
import { focusAfterRemoval, formatAge, groupByAgent, NOTICE_MS, PROBLEM_NOTICE_MS } from './model';
import { loadState, saveState } from './savedState';
import { Toolbar } from './toolbar';

export interface AppHost {
  decide(ids: string[], decision: ApprovalDecision, message: string | undefined): string;
  /** Asks the host to add an always-allow rule for the request and allow it; answered like a decide. */
  alwaysAllow(id: string, scope: AlwaysAllowScope): string;
  openAgent(agentId: string): void;
}

export class ApprovalsApp {
  readonly list = new ListView();
  readonly toolbar = new Toolbar();
  private readonly root: HTMLElement;
  private readonly notice = el('div', { className: 'notice', data: { testid: 'notice' }, attrs: { role: 'status', 'aria-live': 'polite' } });
  private readonly empty = el('div', { className: 'empty', data: { testid: 'empty-state' }, attrs: { hidden: true } },
    codicon('check-all'),
    el('p', { text: 'Nothing is waiting for approval.' }),
    el('p', { className: 'hint', text: 'Risky actions from every agent gather here.' }),
  );
  private pending = new Map<string, PendingApproval>();
  private contexts = new Map<string, AgentContext>();
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  readonly selected: Set<string>;
  /** Sent to the host, not answered yet (requestId -> ids). */
  private readonly inFlight = new Map<string, string[]>();
  private readonly deciding = new Set<string>();
  activeId: string | undefined;
  private clockOffset = 0;
  private received = false;
  private restore: ReturnType<typeof loadState> | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(container: HTMLElement, private readonly host: AppHost) {
    this.restore = loadState();
    this.selected = new Set(this.restore.selected);
    this.activeId = this.restore.activeId;
    const keys = el('div', { className: 'keys', data: { testid: 'key-hints' } },
      '↑/↓ move · Space select · A allow · D deny · Enter deny with message · the keys act on the selection when the focused request is in it');
    this.root = el('div', { className: 'app', data: { testid: 'approvals', stateReceived: 'false' } }, this.toolbar.el, this.notice, keys, this.empty, this.list.el);
    container.replaceChildren(this.root);
    setInterval(() => this.refreshAges(), 10_000);
  }

  onState(message: StateMessage): void {
    this.clockOffset = message.now - Date.now();
    // New requests make an old notice stale: it would read as if it were about them.
    if (message.pending.some((r) => !this.pending.has(r.id)) && this.received) this.say('');
    this.pending = new Map(message.pending.map((r) => [r.id, r]));
    this.contexts = new Map((message.agents ?? []).map((c) => [c.agentId, c]));
    this.render();
    if (!this.received) {
      this.received = true;
      this.root.dataset.stateReceived = 'true';
      this.applyRestore();
    }
  }

  onDecideResult(message: DecideResult): void {
    const ids = this.inFlight.get(message.requestId);
    if (!ids) {
      console.warn(`Flotilla webview: an answer to an unknown request ${message.requestId} was ignored`);
      return;
    }
    this.inFlight.delete(message.requestId);
    for (const id of ids) this.deciding.delete(id);
    const failed = message.results.filter((r) => !r.ok);
    for (const r of message.results) if (r.ok) this.pending.delete(r.id);
    const done = message.results.length - failed.length;
    const parts = done > 0 ? [`${done} ${done === 1 ? 'request' : 'requests'} answered.`] : [];
    if (failed.length > 0) parts.push(`${failed.length} could not be answered: ${failed[0]!.reason ?? 'no reason given'}`);
    for (const r of message.results) if (r.ok && r.message) parts.push(r.message);
    this.say(parts.join(' '), failed.length > 0 ? PROBLEM_NOTICE_MS : NOTICE_MS);
    this.render();
  }

  /** Sends one decision for `ids` (those not already on their way) and moves focus past them. */
  decide(ids: readonly string[], decision: ApprovalDecision, message?: string): void {
    this.send(ids, (fresh) => this.host.decide(fresh, decision, message));
  }

  /** Allows the request and, from now on, exactly this action for its agent (or only its session). */
  alwaysAllow(id: string, scope: AlwaysAllowScope): void {
    this.send([id], ([only]) => this.host.alwaysAllow(only!, scope));
  }

  private send(ids: readonly string[], post: (fresh: string[]) => string): void {
    const fresh = ids.filter((id) => this.pending.has(id) && !this.deciding.has(id));
    if (fresh.length === 0) return;
    const focused = this.list.itemOf(document.activeElement);
    const requestId = post(fresh);
    this.inFlight.set(requestId, fresh);
    for (const id of fresh) {
      this.deciding.add(id);
      this.selected.delete(id);
      this.list.item(id)?.closeMessage();
    }
    if (focused && this.deciding.has(focused.id)) {
      const next = focusAfterRemoval(this.list.ids, focused.id, this.deciding);
      if (next) this.focusItem(next);
    }
    this.render();
  }

  /** Every request shown that is not already on its way. */
  actionableIds(): string[] {
    return this.list.ids.filter((id) => !this.deciding.has(id));
  }

  selectedIds(): string[] {
    return this.list.ids.filter((id) => this.selected.has(id));
  }

  setSelected(ids: readonly string[], selected: boolean): void {
    for (const id of ids) {
      if (selected) this.selected.add(id);
      else this.selected.delete(id);
    }
    this.refreshSelection();
    this.persist();
  }

  focusItem(id: string | undefined): void {
    const item = this.list.item(id);
    if (!item) return;
    this.list.item(this.activeId)?.setActive(false);
    this.activeId = item.id;
    item.setActive(true);
    item.focus();
    this.persist();
  }

  openAgent(agentId: string): void {
    this.host.openAgent(agentId);
  }

  /** Shows a notice for `ms` (an empty text clears it at once). */
  say(text: string, ms = NOTICE_MS): void {
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.noticeTimer = undefined;
    setText(this.notice, text);
    if (text !== '') {
      this.noticeTimer = setTimeout(() => {
        this.noticeTimer = undefined;
        setText(this.notice, '');
      }, ms);
    }
  }

  /** Saves the reviewer's state soon (the page is thrown away when hidden). */
  persist(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      const drafts: [string, string][] = [];
      for (const item of this.list.allItems()) if (item.messageOpen) drafts.push([item.id, item.draft]);
      saveState({
        selected: [...this.selected],
        activeId: this.activeId,
        hadFocus: this.list.el.contains(document.activeElement),
        drafts,
        scrollTop: document.scrollingElement?.scrollTop ?? 0,
      });
    }, 100);
  }

  private render(): void {
    const before = this.list.ids;
    const focusedInList = this.list.itemOf(document.activeElement);
    const gone = this.list.render(groupByAgent([...this.pending.values()]), this.contexts);
    for (const id of gone) {
      this.selected.delete(id);
      this.deciding.delete(id);
    }
    if (this.activeId === undefined || !this.list.item(this.activeId)) {
      const next = this.activeId !== undefined ? focusAfterRemoval(before, this.activeId, gone) : undefined;
      this.activeId = next ?? this.list.ids[0];
      if (focusedInList && gone.has(focusedInList.id)) this.focusItem(this.activeId);
    }
    for (const item of this.list.allItems()) {
      item.setActive(item.id === this.activeId);
      item.setDeciding(this.deciding.has(item.id));
    }
    this.refreshAges();
    this.refreshSelection();
    this.empty.hidden = this.pending.size > 0;
    this.root.dataset.empty = String(this.pending.size === 0);
    this.root.dataset.pendingCount = String(this.pending.size);
    this.persist();
  }

  private refreshSelection(): void {
    for (const item of this.list.allItems()) item.setSelected(this.selected.has(item.id));
    const perGroup = new Map<string, [number, number]>();
    for (const r of this.pending.values()) {
      const counts = perGroup.get(r.agentId) ?? [0, 0];
      counts[1]++;
      if (this.selected.has(r.id)) counts[0]++;
      perGroup.set(r.agentId, counts);
    }
    for (const group of this.list.allGroups()) {
      const [sel, total] = perGroup.get(group.agentId) ?? [0, 0];
      group.setSelection(sel, total);
    }
    this.toolbar.update(this.pending.size, this.selected.size, this.actionableIds().length);
  }

  private refreshAges(): void {
    const now = Date.now() + this.clockOffset;
    for (const item of this.list.allItems()) item.setAge(formatAge(now - item.request.createdAt));
  }

  /** After a reload: reopen drafts, put focus and scroll back where they were. */
  private applyRestore(): void {
    const saved = this.restore;
    this.restore = undefined;
    if (!saved) return;
    for (const [id, draft] of saved.drafts) this.list.item(id)?.openMessage(draft);
    if (saved.scrollTop > 0 && document.scrollingElement) document.scrollingElement.scrollTop = saved.scrollTop;
    if (saved.hadFocus) this.focusItem(this.activeId);
  }
}
