// A small sink for the real-Codex test: records every fact in order, plays the gates with one prohibited pattern
// (approvals asked with whenNoGateDecides 'agent' get deny or ask, never a person), and lets the test answer the
// others (a human in Flotilla) when it chooses.
import type { AgentSignalSink, ApprovalOptions, Verdict } from '../../../src/core/agents/agentAdapter';
import type { AgentSignal, ToolAction } from '../../../src/core/agents/agentSignal';

export interface PendingApproval {
  readonly action: ToolAction;
  answer(verdict: Verdict): void;
}

export class RecordingSink implements AgentSignalSink {
  readonly facts: AgentSignal[] = [];
  readonly screened: ToolAction[] = [];
  private readonly approvals: PendingApproval[] = [];
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly prohibited: RegExp) {}

  signal(_agentId: string, signal: AgentSignal): void {
    this.facts.push(signal);
    this.wake();
  }

  approve(_agentId: string, action: ToolAction, abort: AbortSignal, options?: ApprovalOptions): Promise<Verdict> {
    if (options?.whenNoGateDecides === 'agent') {
      this.screened.push(action);
      const command = (action.input as { command?: unknown }).command;
      if (typeof command === 'string' && this.prohibited.test(command)) {
        return Promise.resolve({ decision: 'deny', reason: 'prohibited by policy: pipes a download into a shell', by: 'policy' });
      }
      return Promise.resolve({ decision: 'ask', reason: 'no gate decided' });
    }
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
