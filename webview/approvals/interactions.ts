// Turns what the reviewer does into app calls: clicks on buttons and checkboxes (delegated from the root), and the
// keys: ↑/↓/Home/End move, Space selects, A allows, D denies, Enter opens or sends the deny message, Escape closes it.
// No key decides anything while the reviewer types (a text field anywhere on the key's path, an input method
// composing) or when a key is held down.
import type { ApprovalsApp } from './app';
import { keyTargets } from './model';

const TEXT_ENTRY = 'vscode-textfield, vscode-textarea, input, textarea, select, [contenteditable]:not([contenteditable="false"])';

/**
 * True when the key goes to something the reviewer types in: anywhere on the event's path (a text field inside a
 * custom element's shadow root too), or while an input method composes a character.
 */
function isTyping(event: KeyboardEvent): boolean {
  if (event.isComposing) return true;
  return event.composedPath().some((node) => node instanceof Element && node.matches(TEXT_ENTRY));
}

function sendMessage(app: ApprovalsApp, id: string): void {
  const item = app.list.item(id);
  if (!item) return;
  const message = item.draft.trim();
  app.decide([id], 'deny', message === '' ? undefined : message);
}

function onClick(app: ApprovalsApp, event: MouseEvent): void {
  const target = event.target instanceof Element ? event.target : null;
  const control = target?.closest<HTMLElement>('[data-action]');
  const item = app.list.itemOf(target);
  if (control && (control as { disabled?: boolean }).disabled) return;
  switch (control?.dataset.action) {
    case 'allow-selected':
      return app.decide(app.selectedIds(), 'allow');
    case 'deny-selected':
      return app.decide(app.selectedIds(), 'deny');
    case 'allow-all':
      return app.decide(app.actionableIds(), 'allow');
    case 'deny-all':
      return app.decide(app.actionableIds(), 'deny');
    case 'open-agent': {
      const group = app.list.groupOf(target);
      if (group) app.openAgent(group.agentId);
      return;
    }
  }
  if (!item) return;
  switch (control?.dataset.action) {
    case 'allow':
      return app.decide([item.id], 'allow');
    case 'deny':
      return app.decide([item.id], 'deny');
    case 'message':
      item.openMessage();
      item.focusMessage();
      app.persist();
      return;
    case 'always-agent':
      return app.alwaysAllow(item.id, 'agent');
    case 'always-session':
      return app.alwaysAllow(item.id, 'session');
    case 'send':
      return sendMessage(app, item.id);
    case 'cancel':
      item.closeMessage();
      app.focusItem(item.id);
      return;
  }
  // A click elsewhere in a request (not on a control or the text box) makes it the focused one.
  if (!target?.closest('vscode-checkbox, vscode-textfield')) app.focusItem(item.id);
}

function onChange(app: ApprovalsApp, event: Event): void {
  const box = event.target instanceof Element ? event.target.closest('vscode-checkbox') : null;
  if (!box) return;
  const testid = (box as HTMLElement).dataset.testid;
  if (testid === 'select-all') {
    app.setSelected(app.list.ids, box.checked);
  } else if (testid === 'group-select') {
    const group = app.list.groupOf(box);
    if (group) app.setSelected(app.list.ids.filter((id) => app.list.item(id)?.request.agentId === group.agentId), box.checked);
  } else if (testid === 'request-select') {
    const item = app.list.itemOf(box);
    if (item) app.setSelected([item.id], box.checked);
  }
}

function move(app: ApprovalsApp, key: string, fromId: string): void {
  const ids = app.list.ids;
  if (ids.length === 0) return;
  const at = ids.indexOf(fromId);
  let to: number;
  if (key === 'Home') to = 0;
  else if (key === 'End') to = ids.length - 1;
  else if (at < 0) to = 0;
  else to = Math.min(ids.length - 1, Math.max(0, at + (key === 'ArrowDown' ? 1 : -1)));
  app.focusItem(ids[to]);
}

function onKeyDown(app: ApprovalsApp, event: KeyboardEvent): void {
  const target = event.target;
  const item = app.list.itemOf(target);
  if (isTyping(event)) {
    if (!item) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      sendMessage(app, item.id);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      item.closeMessage();
      app.focusItem(item.id);
      app.persist();
    }
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const onItem = item !== undefined && target === item.el;
  switch (event.key) {
    case 'ArrowDown':
    case 'ArrowUp':
    case 'Home':
    case 'End':
      if (!item) {
        // From outside the list (page, toolbar, a group header) ArrowDown enters it at the last focused request.
        if (target instanceof Element && target.closest('.toolbar, .group-head') && event.key !== 'ArrowDown') return;
        event.preventDefault();
        app.focusItem(app.activeId ?? app.list.ids[0]);
        return;
      }
      event.preventDefault();
      move(app, event.key, item.id);
      return;
    case ' ':
      if (!onItem) return;
      event.preventDefault();
      app.setSelected([item.id], !app.selected.has(item.id));
      return;
    case 'a':
    case 'A':
    case 'd':
    case 'D':
      // A held key repeats: it must not go on to decide each request that focus moves to.
      if (!item || event.repeat) return;
      event.preventDefault();
      app.decide(keyTargets(item.id, app.selected, app.list.ids), event.key.toLowerCase() === 'a' ? 'allow' : 'deny');
      return;
    case 'Enter':
      if (!onItem) return;
      event.preventDefault();
      item.openMessage();
      item.focusMessage();
      app.persist();
      return;
  }
}

export function bindInteractions(app: ApprovalsApp, root: HTMLElement): void {
  root.addEventListener('click', (e) => onClick(app, e));
  root.addEventListener('change', (e) => onChange(app, e));
  root.addEventListener('input', () => app.persist());
  document.addEventListener('keydown', (e) => onKeyDown(app, e));
  window.addEventListener('scroll', () => app.persist(), { passive: true });
}
