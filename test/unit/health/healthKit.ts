// Fleet health on real parts: a fleet and the signal router on a fake clock, facts routed then observed (as the
// router's onDidSignal does in the composition root), quarantines recorded.
import type { AgentSignal, ToolAction } from '../../../src/core/agents/agentSignal';
import { ActionApprover } from '../../../src/core/approvals/actionApprover';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import { gateChain } from '../../../src/core/approvals/gateChain';
import { Fleet } from '../../../src/core/fleet/fleet';
import { SignalRouter } from '../../../src/core/fleet/signalRouter';
import { FleetHealth } from '../../../src/core/health/fleetHealth';
import type { HealthThresholds } from '../../../src/core/health/healthThresholds';
import { DEFAULT_THRESHOLDS } from '../../../src/core/health/healthThresholds';
import { FakeClock } from '../../kit/fakeClock';
import { MemoryPersistence, memoryLogger } from '../core/fleetKit';

export interface HealthRig {
  clock: FakeClock;
  fleet: Fleet;
  health: FleetHealth;
  log: ReturnType<typeof memoryLogger>;
  quarantined: { id: string; reason: string; evidence: readonly string[] }[];
  /** The summary of every flag announced (onDidFlag), in order. */
  flags: string[];
  id: string;
  send(...facts: AgentSignal[]): void;
  dispose(): void;
}

/** `session: false`: no session yet (a replayed recording starts its own). */
export function healthRig(thresholds: Partial<HealthThresholds> = {}, options: { session?: false } = {}): HealthRig {
  const clock = new FakeClock();
  const log = memoryLogger();
  const fleet = new Fleet(new MemoryPersistence(), log, () => clock.now());
  const queue = new ApprovalQueue(() => ({ timeoutMs: 60_000, escalateAfterMs: 60_000 }), () => clock.now());
  const router = new SignalRouter({ fleet, approvals: queue, approver: new ActionApprover(gateChain([]), queue, log), log, clock });
  const quarantined: HealthRig['quarantined'] = [];
  const health = new FleetHealth({
    fleet,
    clock,
    log,
    thresholds: () => ({ ...DEFAULT_THRESHOLDS, ...thresholds }),
    quarantine: (id, reason, evidence) => {
      quarantined.push({ id, reason, evidence });
      fleet.quarantine(id, reason, evidence);
    },
  });
  const flags: string[] = [];
  health.onDidFlag((e) => flags.push(e.health.summary));
  const id = fleet.create({ name: 'a', kind: 'claude-code', cwd: '/r' }).agent.id;
  const rig: HealthRig = {
    clock,
    fleet,
    health,
    log,
    quarantined,
    flags,
    id,
    send: (...facts) => {
      for (const f of facts) {
        router.signal(rig.id, f);
        health.observe(rig.id, f);
      }
    },
    dispose: () => {
      health.dispose();
      queue.dispose();
    },
  };
  if (options.session !== false) rig.send({ type: 'session', phase: 'started', sessionId: 's1' });
  return rig;
}

export const bash = (command: string): ToolAction => ({ tool: 'Bash', input: { command }, summary: `Bash: ${command}` });
export const read = (file: string): ToolAction => ({ tool: 'Read', input: { file_path: file }, summary: `Read ${file}` });
export const edit = (file: string, from: string, to: string): ToolAction => ({ tool: 'Edit', input: { file_path: file, old_string: from, new_string: to }, summary: `Edit ${file}` });
export const todos = (...states: (string | undefined)[]): ToolAction => ({
  tool: 'TodoWrite',
  input: { todos: states.map((status, i) => ({ content: `item ${i + 1}`, activeForm: `doing item ${i + 1}`, ...(status !== undefined ? { status } : {}) })) },
  summary: 'TodoWrite',
});

/** A tool call that starts, takes `ms`, and ends (or fails with `error`). */
export function call(rig: HealthRig, action: ToolAction, ms = 1000, error?: string): void {
  rig.send({ type: 'tool', phase: 'started', action });
  rig.clock.advance(ms);
  rig.send(error === undefined ? { type: 'tool', phase: 'ended', action } : { type: 'tool', phase: 'failed', action, detail: error });
}
