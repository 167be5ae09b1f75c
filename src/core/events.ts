// Event primitives with the same shape as VS Code's (Event, Emitter, Disposable), so the vscode-free core
// can expose `onDidChange` events that the adapter layer hands straight to VS Code APIs.

export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (e: T) => unknown, thisArgs?: unknown, disposables?: Disposable[]) => Disposable;

export function toDisposable(fn: () => void): Disposable {
  let done = false;
  return {
    dispose() {
      if (!done) {
        done = true;
        fn();
      }
    },
  };
}

/** Owns a set of disposables and disposes them together, newest first. */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      item.dispose();
    } else {
      this.items.push(item);
    }
    return item;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const item of this.items.splice(0).reverse()) {
      try {
        item.dispose();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'errors while disposing');
  }
}

export class Emitter<T> implements Disposable {
  private listeners = new Set<(e: T) => unknown>();
  private disposed = false;
  private _event: Event<T> | undefined;

  /** Called when a listener throws; the other listeners still run. */
  constructor(private readonly onListenerError: (err: unknown) => void = (err) => console.error(err)) {}

  get event(): Event<T> {
    this._event ??= (listener, thisArgs, disposables) => {
      if (this.disposed) return toDisposable(() => undefined);
      const bound = thisArgs === undefined ? listener : listener.bind(thisArgs);
      this.listeners.add(bound);
      const d = toDisposable(() => this.listeners.delete(bound));
      disposables?.push(d);
      return d;
    };
    return this._event;
  }

  fire(e: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(e);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}
