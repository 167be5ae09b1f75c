// A tree data provider that stands in for the real one until the fleet has started: activate() registers the views
// with it at once (so they never say "no data provider"), the view shows its progress bar while the root waits,
// and the real provider takes over in place when it is ready. If the fleet cannot start the tree stays empty, which
// lets the "could not start" welcome text show.
import type { Event, ProviderResult, TreeDataProvider, TreeItem } from 'vscode';

type Listener<T> = (e: T | T[] | undefined | null | void) => unknown;

export class DeferredTreeProvider<T> implements TreeDataProvider<T> {
  private target: TreeDataProvider<T> | undefined;
  private resolveTarget!: (target: TreeDataProvider<T> | undefined) => void;
  private readonly whenTarget = new Promise<TreeDataProvider<T> | undefined>((resolve) => (this.resolveTarget = resolve));
  private readonly listeners = new Set<Listener<T>>();
  private forwarding: { dispose(): unknown } | undefined;

  readonly onDidChangeTreeData: Event<T | T[] | undefined | null | void> = (listener, thisArgs?, disposables?) => {
    const bound: Listener<T> = (e) => listener.call(thisArgs, e);
    this.listeners.add(bound);
    const subscription = { dispose: () => void this.listeners.delete(bound) };
    disposables?.push(subscription);
    return subscription;
  };

  /** The real provider: from now on every call goes to it, and its changes are passed on. */
  resolve(target: TreeDataProvider<T>): void {
    if (this.target) throw new Error('the tree already has its provider');
    this.target = target;
    this.forwarding = target.onDidChangeTreeData?.((e) => this.fire(e));
    this.resolveTarget(target);
  }

  /** The fleet could not start: the root is empty (a waiting getChildren returns nothing). */
  fail(): void {
    this.resolveTarget(undefined);
  }

  getTreeItem(element: T): TreeItem | Thenable<TreeItem> {
    if (!this.target) throw new Error('the tree has no rows before its provider is ready');
    return this.target.getTreeItem(element);
  }

  getChildren(element?: T): ProviderResult<T[]> {
    if (this.target) return this.target.getChildren(element);
    return this.whenTarget.then((target) => (target ? target.getChildren(element) : []));
  }

  getParent(element: T): ProviderResult<T> {
    return this.target?.getParent?.(element);
  }

  resolveTreeItem(item: TreeItem, element: T, token: Parameters<NonNullable<TreeDataProvider<T>['resolveTreeItem']>>[2]): ProviderResult<TreeItem> {
    const resolveItem = this.target?.resolveTreeItem;
    return resolveItem ? resolveItem.call(this.target, item, element, token) : item;
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.listeners.clear();
  }

  private fire(e: T | T[] | undefined | null | void): void {
    for (const listener of [...this.listeners]) listener(e);
  }
}
