// Fleet health, fed with every routed fact: progress (step k of n) from plans and heartbeats, loop and stuck flags
// with their evidence, blockers (a turn ending on a question), and the risk score that quarantines past its
// threshold. Writes the snapshot fields `progress` and `health`; announces new flags and questions as events for the
// UI. One sweep timer for the time-based checks of every agent.
import type { AgentSignal } from '../agents/agentSignal';
import type { SettledApproval } from '../approvals/approvalQueue';
import type { ActionGate } from '../approvals/gateChain';
import type { Clock } from '../clock';
import type { Disposable, Event } from '../events';
import { Emitter } from '../events';
import type { Fleet } from '../fleet/fleet';
import type { Logger } from '../log';
import { isEnded } from '../statusMachine';
import type { AgentSnapshot } from '../../shared/agent';
import type { Health, Progress } from '../../shared/health';
import { closingQuestion, toolQuestion } from './blockers';
import type { HealthThresholds } from './healthThresholds';
import type { Finding } from './loopDetector';
import { LoopDetector } from './loopDetector';
import { FlagThrottle } from './flagThrottle';
import { RiskScore } from './riskScore';
import type { Scorecard } from './scorecard';
import { Scorecards } from './scorecard';
import type { RiskSignal } from './riskWeights';
import { RISK_TUNING } from './riskWeights';
import { TASK_TOOLS, TaskPlans } from './taskPlan';
import { heartbeatProgress, PLAN_TOOLS, sameStep, todoProgress } from './todoProgress';

export interface FleetHealthOptions {
  readonly fleet: Fleet;
  readonly clock: Clock;
  readonly log: Logger;
  readonly thresholds: () => HealthThresholds;
  /** Quarantines with an audit entry (guard/Quarantines.quarantine). */
  readonly quarantine: (agentId: string, reason: string, evidence: readonly string[]) => void;
  /** The risk score that quarantines; read at each check. */
  readonly riskThreshold?: () => number;
  /** Off: the score is kept (tooltip, bench) but nobody is quarantined for it. */
  readonly riskQuarantine?: () => boolean;
  readonly sweepMs?: number;
  /** A flag is announced again for the same agent no sooner than this, and never twice in one turn. */
  readonly notifyCooldownMs?: () => number;
}

export interface HealthFlagged {
  readonly agent: AgentSnapshot;
  readonly health: Health;
}

export class FleetHealth implements Disposable {
  readonly loops: LoopDetector;
  readonly risk: RiskScore;
  private readonly tasks = new TaskPlans();
  private readonly cards = new Scorecards();
  private readonly throttle: FlagThrottle;
  private readonly stuck = new Map<string, Finding>();
  private readonly seen = new Map<string, { status: AgentSnapshot['status']; cost: number; sessionId?: string }>();
  private readonly problems = new Set<string>();
  /** The blockers last escalated per agent. */
  private readonly blocked = new Map<string, string>();
  private readonly subscriptions: Disposable[];
  private timer: unknown;
  private disposed = false;
  private readonly _onDidFlag = new Emitter<HealthFlagged>();
  private readonly _onDidAsk = new Emitter<{ agent: AgentSnapshot; question: string }>();
  /** A flag newly raised (not each update of its evidence), at most once per agent per turn and cooldown. */
  readonly onDidFlag: Event<HealthFlagged> = this._onDidFlag.event;
  /** The agent ended its turn on a question, or asked through a question tool: once per question. */
  readonly onDidAsk: Event<{ agent: AgentSnapshot; question: string }> = this._onDidAsk.event;

  constructor(private readonly options: FleetHealthOptions) {
    this.loops = new LoopDetector(options.thresholds);
    this.risk = new RiskScore({ clock: options.clock });
    this.throttle = new FlagThrottle(options.notifyCooldownMs);
    this.subscriptions = [options.fleet.onDidChangeAgent((a) => this.followed(a)), options.fleet.onDidRemoveAgent((id) => this.forget(id))];
    for (const a of options.fleet.list()) this.seen.set(a.id, { status: a.status, cost: a.costUsd, ...(a.sessionId ? { sessionId: a.sessionId } : {}) });
    this.schedule();
  }

  /** One routed fact of a known agent (SignalRouter.onDidSignal). Never throws into the router. */
  observe(agentId: string, fact: AgentSignal): void {
    try {
      this.take(agentId, fact);
    } catch (err) {
      this.options.log.error(`health: ${fact.type} fact of ${agentId} not read: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Wraps a gate so its denials count for the risk score (prohibited apart). The verdict is passed on unchanged. */
  watchGate(inner: ActionGate): ActionGate {
    return (ctx) => {
      const verdict = inner(ctx);
      if (verdict.kind === 'deny') this.signal(ctx.agent.id, verdict.tier === 'prohibited' ? 'prohibited' : 'denied', ctx.action.summary);
      return verdict;
    };
  }

  /** A request a person denied counts as a denied action. */
  approvalSettled(s: SettledApproval): void {
    this.cards.approvalSettled(s.request.agentId, s.latencyMs);
    if (s.resolution.kind === 'decided' && s.resolution.decision === 'deny' && s.resolution.decidedBy === 'user') this.signal(s.request.agentId, 'denied', s.request.summary);
  }

  /** A risk signal from outside the facts (a tamper event). */
  signal(agentId: string, signal: RiskSignal, detail?: string): void {
    const agent = this.options.fleet.get(agentId);
    if (!agent) return;
    this.cards.signal(agentId, signal);
    const report = this.risk.record(agentId, signal, detail);
    const threshold = this.options.riskThreshold?.() ?? RISK_TUNING.threshold;
    if (report.score < threshold || agent.quarantine || isEnded(agent.status) || this.options.riskQuarantine?.() === false) return;
    this.options.quarantine(agentId, `risk score ${report.score} reached ${threshold}`, report.lines);
  }

  /** The agent's scorecard: counts since Flotilla watched it, and the risk score now with its lines. */
  scorecard(agentId: string): Scorecard {
    return { ...this.cards.counts(agentId), risk: this.risk.report(agentId), riskThreshold: this.options.riskThreshold?.() ?? RISK_TUNING.threshold };
  }

  /** Runs the time-based checks now (the timer does it every sweepMs). */
  sweep(): void {
    const now = this.options.clock.now();
    for (const agent of this.options.fleet.list()) {
      if (isEnded(agent.status)) continue;
      const found = this.loops.sweep(agent, now);
      if (found) this.stuck.set(agent.id, found);
      else this.stuck.delete(agent.id);
      this.publish(agent.id, this.loops.current(agent.id));
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this._onDidFlag.dispose();
    this._onDidAsk.dispose();
  }

  private take(agentId: string, fact: AgentSignal): void {
    const now = this.options.clock.now();
    const agent = this.options.fleet.get(agentId);
    if (!agent) return;
    switch (fact.type) {
      case 'tool':
        if (fact.phase === 'started') {
          if (PLAN_TOOLS.has(fact.action.tool)) this.plan(agent, fact.action.input, now);
          else if (TASK_TOOLS.has(fact.action.tool)) this.taskPlan(agent, fact.action.tool, fact.action.input, now);
          const q = toolQuestion(fact.action.tool, fact.action.input);
          if (q !== undefined) this.ask(agent, q);
        } else {
          this.risk.toolCall(agentId, fact.phase === 'failed');
          this.cards.toolEnded(agentId, fact.phase === 'failed');
        }
        break;
      case 'progress': {
        this.setProgress(agent, heartbeatProgress(fact.step, fact.of, fact.label), now);
        // Blockers the agent reports: needs you, once per distinct set (heartbeats repeat them every few seconds).
        const blockers = fact.blockers && fact.blockers.length > 0 ? `blocked: ${fact.blockers.join('; ')}`.slice(0, 2048) : undefined;
        if (blockers !== undefined && this.blocked.get(agentId) !== blockers) this.ask(agent, blockers);
        if (blockers === undefined) this.blocked.delete(agentId);
        else this.blocked.set(agentId, blockers);
        break;
      }
      case 'session':
        if (fact.phase === 'started') this.tasks.session(agentId, fact.sessionId);
        break;
      case 'turn':
        if (fact.phase === 'started') {
          this.stuck.delete(agentId);
          this.throttle.turnStarted(agentId);
        }
        if (fact.phase === 'ended') {
          this.cards.turnEnded(agentId);
          const q = closingQuestion(fact.lastMessage);
          if (q !== undefined) this.ask(agent, q);
        }
        break;
      default:
        break;
    }
    this.publish(agentId, this.loops.observe(agentId, fact, now));
  }

  private plan(agent: AgentSnapshot, input: unknown, now: number): void {
    const read = todoProgress(input);
    if (!read.ok) {
      this.logOnce(agent, read.problem);
      return;
    }
    this.setProgress(agent, read.progress, now);
  }

  private taskPlan(agent: AgentSnapshot, tool: string, input: unknown, now: number): void {
    const read = this.tasks.started(agent.id, tool, input);
    if (!read.ok) this.logOnce(agent, read.problem);
    else if (read.progress) this.setProgress(agent, read.progress, now);
    else if (agent.progress?.source === 'todo') this.options.fleet.update(agent.id, { progress: undefined });
  }

  private setProgress(agent: AgentSnapshot, p: Omit<Progress, 'since'>, now: number): void {
    if (p.marker) this.logOnce(agent, `odd progress report kept as reported: ${p.marker}`);
    const was = agent.progress;
    const since = sameStep(was, p) ? was!.since : now;
    if (was && sameStep(was, p) && was.marker === p.marker) return;
    this.options.fleet.update(agent.id, { progress: { ...p, since } });
  }

  private ask(agent: AgentSnapshot, question: string): void {
    const current = this.options.fleet.get(agent.id) ?? agent;
    if (current.status === 'waiting-input' && current.statusReason === question) return;
    const moved = this.options.fleet.apply(agent.id, 'inputRequested', { waitingFor: 'input', statusReason: question });
    if (moved?.ok) this._onDidAsk.fire({ agent: this.options.fleet.get(agent.id) ?? current, question });
  }

  private publish(agentId: string, loop: Finding | undefined): void {
    const agent = this.options.fleet.get(agentId);
    if (!agent) return;
    const finding = isEnded(agent.status) ? undefined : (loop ?? this.stuck.get(agentId));
    const was = agent.health;
    if (!finding) {
      if (was) this.options.fleet.update(agentId, { health: undefined });
      return;
    }
    const evidence = finding.evidence.slice(0, 20).map((e) => e.slice(0, 1024));
    if (was && was.flag === finding.flag && was.summary === finding.summary && was.evidence.join('\n') === evidence.join('\n')) return;
    const health: Health = { flag: finding.flag, summary: finding.summary.slice(0, 256), evidence, since: was?.flag === finding.flag ? was.since : this.options.clock.now() };
    this.options.fleet.update(agentId, { health });
    if (was?.flag !== finding.flag) {
      this.options.log.warn(`${agent.name} ${health.summary}: ${evidence.join('; ')}`);
      // A flag that clears and comes back within the episode is the same loop: one notification, one risk signal.
      if (!this.throttle.shouldNotify(agentId, finding.flag, this.options.clock.now())) return;
      if (finding.flag === 'looping') this.signal(agentId, 'loop', evidence[0]);
      const after = this.options.fleet.get(agentId);
      if (after) this._onDidFlag.fire({ agent: after, health });
    }
  }

  /** Status and cost moves that count for the risk score: silence, restarts, cost spikes. */
  private followed(agent: AgentSnapshot): void {
    const prev = this.seen.get(agent.id);
    this.seen.set(agent.id, { status: agent.status, cost: agent.costUsd, ...(agent.sessionId ? { sessionId: agent.sessionId } : {}) });
    if (!prev) return;
    if (agent.status !== prev.status) {
      if (agent.status === 'stalled') this.signal(agent.id, 'silent', agent.statusReason);
      else if (agent.status === 'disconnected' || agent.status === 'failed') this.signal(agent.id, 'restart', agent.statusReason ?? agent.status);
      if (isEnded(agent.status) && agent.health) this.publish(agent.id, undefined);
    }
    if (prev.sessionId !== undefined && agent.sessionId !== undefined && agent.sessionId !== prev.sessionId) this.signal(agent.id, 'restart', 'a new session');
    const spent = agent.costUsd - prev.cost;
    if (spent >= RISK_TUNING.budgetSpikeUsd) this.signal(agent.id, 'budgetSpike', `$${spent.toFixed(2)} at once`);
  }

  private logOnce(agent: AgentSnapshot, problem: string): void {
    const key = `${agent.id}\n${problem}`;
    if (this.problems.has(key)) return;
    if (this.problems.size > 1000) this.problems.clear();
    this.problems.add(key);
    this.options.log.info(`${agent.name}: ${problem}`);
  }

  private forget(agentId: string): void {
    this.loops.forget(agentId);
    this.risk.forget(agentId);
    this.tasks.forget(agentId);
    this.cards.forget(agentId);
    this.throttle.forget(agentId);
    this.stuck.delete(agentId);
    this.seen.delete(agentId);
    this.blocked.delete(agentId);
  }

  private schedule(): void {
    if (this.disposed) return;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      try {
        this.sweep();
      } catch (err) {
        this.options.log.error(`health sweep failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      this.schedule();
    }, this.options.sweepMs ?? 15_000);
  }
}
