// Test kit for traces: a real store in a temp dir, a TraceService on it fed by a scripted fact stream and a real
// ApprovalQueue, and a hand-driven clock.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AgentSignal } from '../../../src/core/agents/agentSignal';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import type { Clock } from '../../../src/core/clock';
import { Emitter } from '../../../src/core/events';
import type { Logger } from '../../../src/core/log';
import { openStore } from '../../../src/core/store/openDatabase';
import type { FleetStore } from '../../../src/core/store/store';
import { TraceService } from '../../../src/core/traces/traceService';
import type { TraceServiceOptions } from '../../../src/core/traces/traceService';

export class ManualClock implements Clock {
  constructor(public t = 1_000_000) {}
  now(): number {
    return this.t;
  }
  setTimeout(): unknown {
    return 0;
  }
  clearTimeout(): void {}
  advance(ms: number): void {
    this.t += ms;
  }
}

export const quietLog = (): Logger & { lines: string[] } => {
  const lines: string[] = [];
  const add = (m: unknown) => lines.push(String(m));
  return { lines, trace: add, debug: add, info: add, warn: add, error: add };
};

export class TraceHarness {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-traces-'));
  readonly store: FleetStore = openStore(path.join(this.dir, 'fleet.db')).store;
  readonly clock = new ManualClock();
  readonly facts = new Emitter<{ agentId: string; signal: AgentSignal }>();
  readonly queue = new ApprovalQueue(() => ({ escalateAfterMs: 600_000, timeoutMs: 900_000 }), () => this.clock.now());
  readonly log = quietLog();
  service: TraceService;

  constructor(private readonly extra: Partial<TraceServiceOptions> = {}) {
    this.service = this.start();
  }

  start(alive: (id: string) => boolean = () => true): TraceService {
    return new TraceService({
      store: this.store,
      facts: { onDidSignal: this.facts.event },
      approvals: this.queue,
      log: this.log,
      alive,
      agentName: (id) => `name-${id}`,
      price: (model, u) => (model === 'unknown' ? undefined : (u.input * 3 + u.output * 15) / 1e6),
      clock: this.clock,
      ...this.extra,
    });
  }

  /** Stops the service (pending spans stored) and starts a new one on the same store, as after a window reload. */
  restart(alive: (id: string) => boolean = () => true): TraceService {
    this.service.dispose();
    this.service = this.start(alive);
    return this.service;
  }

  fact(agentId: string, signal: AgentSignal, afterMs = 0): void {
    this.clock.advance(afterMs);
    this.facts.fire({ agentId, signal });
  }

  dispose(): void {
    this.service.dispose();
    this.queue.dispose();
    this.store.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export const usage = (input: number, output: number) => ({ input, output, cacheRead: 0, cacheWrite: 0 });
export const bash = (command: string, toolUseId?: string) => ({
  tool: 'Bash',
  input: { command },
  summary: `Bash: ${command}`,
  ...(toolUseId ? { toolUseId } : {}),
});
