// Keeps Flotilla's contributed commands answerable while the fleet starts after activate() has returned: each
// command first runs a placeholder that waits for the fleet and then calls the real command. The hand-over is
// synchronous (release() takes the placeholders out and the caller registers the real commands in the same run of
// the event loop), so no call falls between the two; the calls that waited run once the fleet is open (its bridge
// listening). If the fleet cannot start, every command says so instead.
import type { Disposable } from 'vscode';

export interface CommandHost {
  registerCommand(id: string, handler: (...args: unknown[]) => unknown): Disposable;
  executeCommand(id: string, ...args: unknown[]): PromiseLike<unknown>;
}

type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

export class CommandHold implements Disposable {
  private placeholders: Disposable[] = [];
  private released = false;
  private outcome: Outcome | undefined;
  private settle!: (outcome: Outcome) => void;
  private readonly settled = new Promise<Outcome>((resolve) => (this.settle = resolve));

  /**
   * @param ids the command ids to hold (Flotilla's contributed commands)
   * @param failed answers a command called when the fleet could not start (its result is the command's result)
   */
  constructor(
    private readonly host: CommandHost,
    private readonly ids: readonly string[],
    private readonly failed: (id: string, error: unknown) => unknown,
  ) {
    this.hold();
  }

  /**
   * Takes the placeholders out: the caller registers the real commands right after, without awaiting anything in
   * between. The calls that waited keep waiting until open().
   */
  release(): void {
    if (this.released || this.outcome) throw new Error('the commands were already released');
    this.unhold();
    this.released = true;
  }

  /** The fleet is ready: the calls that waited run against the real commands. */
  open(): void {
    if (!this.released) throw new Error('open() before release(): the real commands are not registered');
    if (this.outcome) return;
    this.outcome = { ok: true };
    this.settle(this.outcome);
  }

  /**
   * The fleet could not start (or stopped working): every command, waiting or future, is answered by `failed`.
   * Call it once the real commands are disposed, so the placeholders can take their ids back.
   */
  fail(error: unknown): void {
    if (this.placeholders.length === 0) this.hold();
    this.outcome = { ok: false, error };
    this.settle(this.outcome);
  }

  dispose(): void {
    this.unhold();
  }

  private hold(): void {
    this.placeholders = this.ids.map((id) => this.host.registerCommand(id, (...args: unknown[]) => this.call(id, args)));
  }

  private unhold(): void {
    for (const p of this.placeholders) p.dispose();
    this.placeholders = [];
  }

  private async call(id: string, args: unknown[]): Promise<unknown> {
    await this.settled;
    // Read again after the wait: a failure after the fleet opened wins.
    const outcome = this.outcome!;
    if (!outcome.ok) return this.failed(id, outcome.error);
    return this.host.executeCommand(id, ...args);
  }
}
