// A minimal sink for the Codex tests until the core's signal router lands: records every fact in order, screens
// with one prohibited pattern (the gates' deny), and lets the test answer each approval when it chooses.
import type { Verdict } from '../../../src/core/agents/agentAdapter';
import type { AgentSignal, ToolAction } from '../../../src/core/agents/agentSignal';
import type { ScreeningSink } from '../../../src/adapters/codex/codexSession';

export interface PendingApproval {
  readonly action: ToolAction;
  answer(verdict: Verdict): void;
}

export class RecordingSink implements ScreeningSink {
  readonly facts: AgentSignal[] = [];
  readonly screened: ToolAction[] = [];
  private readonly approvals: PendingApproval[] = [];
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly prohibited: RegExp) {}

  signal(_agentId: string, signal: AgentSignal): void {
    this.facts.push(signal);
    this.wake();
  }

  screen(_agentId: string, action: ToolAction): Promise<Verdict> {
    this.screened.push(action);
    const command = (action.input as { command?: unknown }).command;
    if (typeof command === 'string' && this.prohibited.test(command)) {
      return Promise.resolve({ decision: 'deny', reason: 'prohibited by policy: pipes a download into a shell', by: 'policy' });
    }
    return Promise.resolve({ decision: 'ask', reason: 'no gate decided' });
  }

  approve(_agentId: string, action: ToolAction, abort: AbortSignal): Promise<Verdict> {
    return new Promise((resolve) => {
      abort.addEventListener('abort', () => resolve({ decision: 'deny', reason: 'the agent hung up', by: 'supervisor' }), { once: true });
      this.approvals.push({ action, answer: resolve });
      this.wake();
    });
  }

  /** The next approval request (waits for it). */
  async nextApproval(timeoutMs = 30_000): Promise<PendingApproval> {
    await this.until(() => this.approvals.length > 0, timeoutMs, 'an approval request');
    return this.approvals.shift()!;
  }

  /** Waits until `count` facts match `test` (from the start). */
  async waitForFact(test: (f: AgentSignal) => boolean, what: string, count = 1, timeoutMs = 30_000): Promise<void> {
    await this.until(() => this.facts.filter(test).length >= count, timeoutMs, what);
  }

  private until(ready: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; facts so far: ${JSON.stringify(this.facts.map(factName))}`)), timeoutMs);
      const check = (): void => {
        if (ready()) {
          clearTimeout(timer);
          resolve();
        } else {
          this.waiters.push(check);
        }
      };
      this.waiters.push(check);
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

/** "turn:started", "tool:ended", "usage", ...: the order of facts, without their details. */
export function factName(f: AgentSignal): string {
  return 'phase' in f ? `${f.type}:${f.phase}` : f.type === 'waiting' ? `waiting:${f.for}` : f.type;
}
