// The list of requests grouped by agent, kept in step with each `state` by id: new requests are inserted, answered
// ones removed, the rest left where they are (so focus, selection and open message fields survive updates). Each
// group says what its agent is doing: its task, what it last said, its spend.
import type { PendingApproval } from '../../src/shared/approval';
import type { AgentContext } from '../../src/shared/webview/approvalsProtocol';
import { visible } from '../../src/shared/visibleText';
import { codicon, el, setText } from '../shared/dom';
import { ItemView } from './itemView';
import { spendText } from './model';
import type { AgentGroup } from './model';

/** One line of agent text, hidden characters escaped. */
const oneLine = (text: string) => visible(text.replace(/\s+/g, ' '));

class GroupView {
  readonly el: HTMLElement;
  readonly items: HTMLElement;
  readonly checkbox: HTMLElementTagNameMap['vscode-checkbox'];
  private readonly name: HTMLElement;
  private readonly count: HTMLElementTagNameMap['vscode-badge'];
  private readonly context = el('dl', { className: 'context', data: { testid: 'agent-context' }, attrs: { hidden: true } });
  private shownContext = '';

  constructor(readonly agentId: string, agentName: string) {
    this.name = el('span', { className: 'agent-name', data: { testid: 'agent-name' } });
    this.count = el('vscode-badge', { data: { testid: 'agent-count' } });
    this.count.variant = 'counter';
    this.checkbox = el('vscode-checkbox', { data: { testid: 'group-select' }, attrs: { tabindex: '-1' } });
    const open = el('vscode-button', { data: { action: 'open-agent', testid: 'open-agent' }, attrs: { title: 'Open this agent' } }, 'Open agent');
    open.secondary = true;
    this.items = el('div', { className: 'group-items', attrs: { role: 'list' } });
    this.el = el('section', { className: 'group', data: { testid: 'agent-group', agentId } },
      el('header', { className: 'group-head' }, this.checkbox, codicon('hubot'), this.name, this.count, el('span', { className: 'spacer' }), open),
      this.context,
      this.items,
    );
    this.update(agentName, 0);
  }

  update(agentName: string, count: number): void {
    setText(this.name, visible(agentName));
    setText(this.count, String(count));
    this.checkbox.setAttribute('aria-label', `Select every request from ${visible(agentName)}`);
  }

  /** The agent's task, last words and spend, as text; rebuilt only when they change. */
  setContext(context: AgentContext | undefined): void {
    const key = JSON.stringify(context ?? null);
    if (key === this.shownContext) return;
    this.shownContext = key;
    const entry = (label: string, text: string, testid: string) => [el('dt', { text: label }), el('dd', { data: { testid }, attrs: { title: text } }, text)];
    this.context.replaceChildren(
      ...(context?.task ? entry('Task', oneLine(context.task), 'agent-task') : []),
      ...(context?.lastMessage ? entry('Last said', oneLine(context.lastMessage), 'agent-last-message') : []),
      ...(context ? entry('Spent', spendText({ ...context, ...(context.budgetNote ? { budgetNote: oneLine(context.budgetNote) } : {}) }), 'agent-spend') : []),
    );
    this.context.hidden = context === undefined;
  }

  /** Checked when all its requests are selected, indeterminate when some are. */
  setSelection(selected: number, total: number): void {
    this.checkbox.checked = total > 0 && selected === total;
    this.checkbox.indeterminate = selected > 0 && selected < total;
  }
}

/** Puts `children` under `parent` in this order, moving only nodes that are out of place. */
function placeInOrder(parent: HTMLElement, children: readonly HTMLElement[]): void {
  let cursor = parent.firstElementChild;
  for (const child of children) {
    if (child !== cursor) parent.insertBefore(child, cursor);
    else cursor = cursor.nextElementSibling;
  }
}

export class ListView {
  readonly el: HTMLElement;
  private readonly groups = new Map<string, GroupView>();
  private readonly items = new Map<string, ItemView>();
  /** Request ids in display order (group by group). */
  private order: string[] = [];
  /** Requests near the viewport get their controls first... */
  private readonly observer = new IntersectionObserver((entries) => {
    for (const entry of entries) if (entry.isIntersecting) this.hydrate(this.itemOf(entry.target));
  }, { rootMargin: '800px 0px' });
  /** ...the others when the page is idle, so every request ends up with them without delaying the first paint. */
  private backlogScheduled = false;

  constructor() {
    this.el = el('main', { className: 'list', data: { testid: 'request-list' }, attrs: { 'aria-label': 'Pending requests' } });
  }

  private hydrate(item: ItemView | undefined): void {
    if (!item || item.hydrated) return;
    item.hydrate();
    this.observer.unobserve(item.el);
  }

  private scheduleBacklog(): void {
    if (this.backlogScheduled) return;
    this.backlogScheduled = true;
    const slice = (deadline: IdleDeadline) => {
      let done = 0;
      for (const id of this.order) {
        const item = this.items.get(id);
        if (!item || item.hydrated) continue;
        if (done > 0 && deadline.timeRemaining() < 2) {
          requestIdleCallback(slice, { timeout: 200 });
          return;
        }
        this.hydrate(item);
        done++;
      }
      this.backlogScheduled = false;
    };
    requestIdleCallback(slice, { timeout: 200 });
  }

  /** Brings the DOM in line with `groups`; returns the ids that left. */
  render(groups: readonly AgentGroup[], contexts: ReadonlyMap<string, AgentContext> = new Map()): Set<string> {
    const wanted = new Set<string>();
    for (const g of groups) for (const r of g.requests) wanted.add(r.id);
    const gone = new Set<string>();
    for (const [id, item] of this.items) {
      if (!wanted.has(id)) {
        this.observer.unobserve(item.el);
        item.el.remove();
        this.items.delete(id);
        gone.add(id);
      }
    }
    const wantedGroups = new Set(groups.map((g) => g.agentId));
    for (const [agentId, group] of this.groups) {
      if (!wantedGroups.has(agentId)) {
        group.el.remove();
        this.groups.delete(agentId);
      }
    }
    const groupEls: HTMLElement[] = [];
    this.order = [];
    for (const g of groups) {
      let group = this.groups.get(g.agentId);
      if (!group) {
        group = new GroupView(g.agentId, g.agentName);
        this.groups.set(g.agentId, group);
      }
      group.update(g.agentName, g.requests.length);
      group.setContext(contexts.get(g.agentId));
      const itemEls = g.requests.map((r) => this.itemFor(r).el);
      placeInOrder(group.items, itemEls);
      groupEls.push(group.el);
      for (const r of g.requests) this.order.push(r.id);
    }
    placeInOrder(this.el, groupEls);
    if (this.order.some((id) => !this.items.get(id)!.hydrated)) this.scheduleBacklog();
    return gone;
  }

  private itemFor(request: PendingApproval): ItemView {
    let item = this.items.get(request.id);
    if (item) {
      if (item.request.escalated !== request.escalated) item.update(request);
    } else {
      item = new ItemView(request);
      this.items.set(request.id, item);
      this.observer.observe(item.el);
    }
    return item;
  }

  get ids(): readonly string[] {
    return this.order;
  }

  item(id: string | undefined): ItemView | undefined {
    return id === undefined ? undefined : this.items.get(id);
  }

  group(agentId: string): GroupView | undefined {
    return this.groups.get(agentId);
  }

  allItems(): IterableIterator<ItemView> {
    return this.items.values();
  }

  allGroups(): IterableIterator<GroupView> {
    return this.groups.values();
  }

  /** The request an event happened in, if any. */
  itemOf(target: EventTarget | null): ItemView | undefined {
    const node = target instanceof Element ? target.closest<HTMLElement>('.request') : null;
    return node?.dataset.requestId ? this.items.get(node.dataset.requestId) : undefined;
  }

  groupOf(target: EventTarget | null): GroupView | undefined {
    const node = target instanceof Element ? target.closest<HTMLElement>('.group') : null;
    return node?.dataset.agentId ? this.groups.get(node.dataset.agentId) : undefined;
  }
}
