// Builds trace spans from what the core already hears: an agent's facts (turn -> task span, tool started/ended by
// toolUseId -> tool and subagent spans, usage per request -> model spans with tokens and cost) and the approval
// queue (approval waits: who decided, how long the fleet waited). Tolerates facts out of order, a tool end that never
// comes (the span ends `interrupted` with its turn), tools and usage without a turn, a turn's last request read from
// the transcript after the turn ended (it joins that turn), and a restart mid-session (recover() picks the running
// spans back up from the store).
import { randomBytes } from 'node:crypto';
import type { Usage } from '../../shared/agent';
import type { PendingApproval } from '../../shared/approval';
import type { SpanStatus, TraceSpan } from '../../shared/webview/traceSpan';
import type { AgentSignal, ToolAction } from '../agents/agentSignal';
import type { SettledApproval } from '../approvals/approvalQueue';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { Logger } from '../log';
import type { Redactor } from './redact';
import { ReportedSpans } from './reportedSpans';
import { SUBAGENT_TOOLS, toolAttributes, toolSpanName } from './toolAttributes';

export interface TraceRecorderOptions {
  readonly write: (span: TraceSpan) => void;
  readonly redactor: () => Redactor;
  readonly agentName?: (agentId: string) => string | undefined;
  /** The price of one request's tokens when the fact carries no cost (undefined: unknown model). */
  readonly price?: (model: string, usage: Usage, request?: { readonly cacheWrite1h?: number }) => number | undefined;
  readonly log: Logger;
  readonly clock?: Clock;
  /** Whether a span is stored (a reported span's parent that this recorder did not see, e.g. before a restart). */
  readonly stored?: (traceId: string, spanId: string) => boolean;
}

interface AgentTrace {
  readonly traceId: string;
  readonly task: TraceSpan;
  /** Open tool and subagent spans by toolUseId (or `name#n` when the agent gives no id). */
  readonly tools: Map<string, TraceSpan>;
  /** Tool spans that ended before they were seen starting (by id), to mark a late start. */
  readonly endedEarly: Set<string>;
  /** Model spans by request id (usage of one request reported twice adds up in one span). */
  readonly requests: Map<string, TraceSpan>;
  lastModel?: TraceSpan;
  /** The main agent's request whose tools are starting now (its usage came before them). */
  claimant?: TraceSpan;
  /**
   * The main agent's tool calls whose request's usage has not come yet, one group per request (a group closes when
   * every open call has ended and the model gets the word again). Claude Code reports a request's tools (hooks)
   * before the transcript line with its usage is read, so the usage that comes next claims the oldest group.
   */
  readonly unclaimed: TraceSpan[][];
  groupOpen: boolean;
  /** When the model last got the word (the turn started, a tool returned, a request ended): a model span's start. */
  boundary: number;
  sessionId?: string;
}

const TURN_STATUS: Record<'ended' | 'interrupted' | 'failed', SpanStatus> = { ended: 'ok', interrupted: 'interrupted', failed: 'error' };

export const newTraceId = (): string => randomBytes(16).toString('hex');
export const newSpanId = (): string => randomBytes(8).toString('hex');

export class TraceRecorder {
  private readonly traces = new Map<string, AgentTrace>();
  /** Each agent's last ended turn, until its next one starts: usage read late (after Stop) belongs to it. */
  private readonly ended = new Map<string, AgentTrace>();
  private readonly sessions = new Map<string, string>();
  private readonly approvals = new Map<string, TraceSpan>();
  private readonly clock: Clock;
  private anonymous = 0;
  /** Spans agents reported with their own ids (remote span frames). */
  private readonly reported: ReportedSpans;

  constructor(private readonly options: TraceRecorderOptions) {
    this.clock = options.clock ?? systemClock;
    this.reported = new ReportedSpans({
      put: (span) => this.put(span),
      redactor: options.redactor,
      openTraceId: (agentId) => this.traces.get(agentId)?.traceId,
      ...(options.stored ? { stored: options.stored } : {}),
      sessionId: (agentId) => this.sessions.get(agentId),
      ...(options.agentName ? { agentName: options.agentName } : {}),
      ...(options.price ? { price: options.price } : {}),
    });
  }

  /** The open task's trace id of an agent, if it is in a turn. */
  currentTraceId(agentId: string): string | undefined {
    return this.traces.get(agentId)?.traceId;
  }

  signal(agentId: string, s: AgentSignal): void {
    try {
      this.route(agentId, s);
    } catch (err) {
      this.options.log.error(`traces: ${s.type} fact of agent ${agentId} not recorded: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  approvalAdded(request: PendingApproval): void {
    const trace = this.traces.get(request.agentId);
    const tool = trace ? this.findOpenTool(trace, request.tool) : undefined;
    const span = this.span(request.agentId, trace, {
      kind: 'approval-wait',
      name: `approval: ${request.tool}`,
      start: request.createdAt,
      parentSpanId: tool?.spanId ?? trace?.task.spanId,
      attributes: {
        'approval.id': request.id,
        'approval.summary': this.options.redactor().redact(request.summary),
        ...(request.tier ? { 'approval.tier': request.tier } : {}),
        ...(request.rule ? { 'approval.rule': request.rule } : {}),
      },
    });
    this.approvals.set(request.id, span);
    this.put(span);
  }

  approvalSettled(settled: SettledApproval): void {
    const span = this.approvals.get(settled.request.id);
    if (!span) return;
    this.approvals.delete(settled.request.id);
    const r = settled.resolution;
    const end = span.start + settled.latencyMs;
    const status: SpanStatus = r.kind === 'decided' ? (r.decision === 'allow' ? 'ok' : 'denied') : 'interrupted';
    span.end = end;
    span.status = status;
    Object.assign(span.attributes, {
      'approval.waited_ms': settled.latencyMs,
      'approval.outcome': r.kind === 'decided' ? r.decision : r.why,
      ...(r.kind === 'decided' ? { 'approval.decided_by': r.decidedBy } : {}),
      ...(r.reason ? { 'approval.reason': this.options.redactor().redact(r.reason) } : {}),
    });
    this.put(span);
  }

  /**
   * After a restart: the spans still marked running in the store. Agents still alive carry on in the same trace
   * (later tool ends find their spans); the rest are ended `interrupted`. Open approval waits cannot survive a
   * restart (the queue is new), so they end too.
   */
  recover(running: readonly TraceSpan[], alive: (agentId: string) => boolean): void {
    const now = this.clock.now();
    const byTrace = new Map<string, TraceSpan[]>();
    for (const span of running) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
    for (const spans of byTrace.values()) {
      // A span the agent reported itself is not the recorder's: it ends when the agent says so (a reconnected agent
      // resends what it had not sent), or with the agent.
      const reported = (s: TraceSpan): boolean => s.attributes['remote.span_id'] !== undefined;
      const task = spans.find((s) => s.kind === 'task' && !reported(s));
      const keep = task !== undefined && alive(task.agentId) && !this.traces.has(task.agentId);
      if (keep) {
        const trace: AgentTrace = { traceId: task.traceId, task, tools: new Map(), endedEarly: new Set(), requests: new Map(), unclaimed: [], groupOpen: false, boundary: now, ...(task.sessionId ? { sessionId: task.sessionId } : {}) };
        this.traces.set(task.agentId, trace);
        for (const s of spans) {
          if ((s.kind === 'tool' || s.kind === 'subagent') && !reported(s)) trace.tools.set(String(s.attributes['tool.use_id'] ?? `${s.name}#${++this.anonymous}`), s);
        }
      }
      for (const s of spans) {
        if (keep && s.kind !== 'approval-wait') continue;
        if (reported(s) && alive(s.agentId)) continue;
        this.close(s, 'interrupted', now, keep ? 'Flotilla restarted while it waited' : 'Flotilla restarted and the agent was no longer running');
      }
    }
  }

  private route(agentId: string, s: AgentSignal): void {
    const now = this.clock.now();
    switch (s.type) {
      case 'session':
        if (s.phase === 'started' && s.sessionId) this.sessions.set(agentId, s.sessionId);
        if (s.phase === 'ended') this.endTask(agentId, 'interrupted', now, 'the session ended before the turn did');
        return;
      case 'turn':
        if (s.phase === 'started') {
          this.endTask(agentId, 'interrupted', now, 'a new turn started before this one ended');
          this.startTask(agentId, now, s.detail);
        } else {
          this.endTask(agentId, TURN_STATUS[s.phase], now, s.phase === 'ended' ? 'the turn ended before the tool reported its end' : `the turn ${s.phase}`, s.detail);
        }
        return;
      case 'span':
        this.reported.record(agentId, s.span, now);
        return;
      case 'tool':
        // The tool fact of a span the agent reported itself (status, health): its span exists already.
        if (this.reported.owns(agentId, s.action.toolUseId)) return;
        if (s.phase === 'started') this.toolStarted(agentId, s.action, now);
        else this.toolEnded(agentId, s.action, s.phase === 'failed' ? 'error' : 'ok', now, s.detail);
        return;
      case 'usage':
        if (this.reported.owns(agentId, s.requestId)) return;
        this.usage(agentId, s, now);
        return;
      case 'process':
        this.endTask(agentId, 'interrupted', now, `the agent's process exited${s.exitCode !== undefined ? ` with code ${s.exitCode}` : ''}`);
        return;
      default:
        return;
    }
  }

  private startTask(agentId: string, now: number, detail?: string): AgentTrace {
    this.ended.delete(agentId);
    const traceId = newTraceId();
    const sessionId = this.sessions.get(agentId);
    const task = this.span(agentId, undefined, {
      kind: 'task',
      name: detail ? `task: ${this.options.redactor().redact(detail)}` : 'task',
      start: now,
      traceId,
      attributes: {},
    });
    if (sessionId) task.sessionId = sessionId;
    const trace: AgentTrace = { traceId, task, tools: new Map(), endedEarly: new Set(), requests: new Map(), unclaimed: [], groupOpen: false, boundary: now, ...(sessionId ? { sessionId } : {}) };
    this.traces.set(agentId, trace);
    this.put(task);
    return trace;
  }

  /** The open turn's trace, or one opened now for facts that came without a turn (marked as such). */
  private traceFor(agentId: string, now: number): AgentTrace {
    const open = this.traces.get(agentId);
    if (open) return open;
    const trace = this.startTask(agentId, now);
    trace.task.problems = ['no turn start was seen (Flotilla started mid-turn, or the agent reports no turns)'];
    this.put(trace.task);
    return trace;
  }

  private endTask(agentId: string, status: SpanStatus, now: number, openToolNote: string, detail?: string): void {
    const trace = this.traces.get(agentId);
    if (!trace) return;
    this.traces.delete(agentId);
    this.ended.set(agentId, trace);
    for (const tool of trace.tools.values()) this.close(tool, 'interrupted', now, openToolNote);
    if (detail) trace.task.attributes['task.detail'] = this.options.redactor().redact(detail);
    this.close(trace.task, status, now);
  }

  private toolStarted(agentId: string, action: ToolAction, now: number): void {
    const trace = this.traceFor(agentId, now);
    const key = action.toolUseId ?? `${action.tool}#${++this.anonymous}`;
    if (action.toolUseId && (trace.tools.has(key) || trace.endedEarly.has(key))) {
      // A repeated start, or a start that came after its end: keep the span we have, say so once.
      if (trace.endedEarly.delete(key)) this.options.log.debug(`traces: ${action.tool} ${key} started after it ended`);
      return;
    }
    const subagent = SUBAGENT_TOOLS.has(action.tool);
    const span = this.span(agentId, trace, {
      kind: subagent ? 'subagent' : 'tool',
      name: toolSpanName(action),
      start: now,
      parentSpanId: this.toolParent(trace).spanId,
      attributes: toolAttributes(action, this.options.redactor()),
    });
    this.awaitRequest(trace, span);
    trace.tools.set(key, span);
    this.put(span);
  }

  private toolEnded(agentId: string, action: ToolAction, status: SpanStatus, now: number, detail?: string): void {
    const trace = this.traceFor(agentId, now);
    let key = action.toolUseId;
    if (key === undefined) {
      // No id: the oldest open call of the same tool.
      key = [...trace.tools.entries()].find(([, s]) => s.attributes['tool.use_id'] === undefined && s.name === toolSpanName(action))?.[0];
    }
    let span = key !== undefined ? trace.tools.get(key) : undefined;
    if (!span) {
      span = this.span(agentId, trace, {
        kind: SUBAGENT_TOOLS.has(action.tool) ? 'subagent' : 'tool',
        name: toolSpanName(action),
        start: now,
        parentSpanId: this.toolParent(trace).spanId,
        attributes: toolAttributes(action, this.options.redactor()),
      });
      span.problems = ['its start was not seen (events out of order, or it started before Flotilla did)'];
      if (action.toolUseId) trace.endedEarly.add(action.toolUseId);
      this.awaitRequest(trace, span);
    } else trace.tools.delete(key!);
    if (detail) span.attributes['tool.detail'] = this.options.redactor().redact(detail);
    trace.boundary = now;
    if (trace.tools.size === 0 && !span.problems) {
      // The model has every result: its next request is in flight, and tools starting now are that request's.
      trace.claimant = undefined;
      trace.groupOpen = false;
    }
    this.close(span, status, now);
  }

  private usage(agentId: string, s: Extract<AgentSignal, { type: 'usage' }>, now: number): void {
    // Claude Code writes a turn's last request to the transcript around its Stop hook, often after: it is that turn's.
    const late = this.traces.has(agentId) ? undefined : this.ended.get(agentId);
    const trace = late ?? this.traceFor(agentId, now);
    if (late && late.task.end !== undefined && late.task.end < now) {
      late.task.end = now;
      this.put(late.task);
    }
    const cost = s.costUsd ?? this.options.price?.(s.model, s.delta, s.cacheWrite1h !== undefined ? { cacheWrite1h: s.cacheWrite1h } : undefined);
    const existing = s.requestId ? trace.requests.get(s.requestId) : undefined;
    if (existing) {
      const t = existing.tokens!;
      existing.tokens = { input: t.input + s.delta.input, output: t.output + s.delta.output, cacheRead: t.cacheRead + s.delta.cacheRead, cacheWrite: t.cacheWrite + s.delta.cacheWrite };
      if (cost !== undefined) existing.costUsd = (existing.costUsd ?? 0) + cost;
      this.put(existing);
      return;
    }
    // `subagent` arrives with the metering work (R1); read structurally so this compiles before and after it.
    const subagent = 'subagent' in s && typeof s.subagent === 'string' ? s.subagent : undefined;
    const parent = (subagent !== undefined ? this.openSubagent(trace) : undefined) ?? trace.task;
    const span = this.span(agentId, trace, {
      kind: 'model',
      name: s.model,
      start: Math.min(trace.boundary, now),
      parentSpanId: parent.spanId,
      attributes: { ...(s.requestId ? { 'model.request_id': s.requestId } : {}), ...(subagent ? { 'model.subagent': subagent } : {}) },
    });
    span.model = s.model;
    span.tokens = { ...s.delta };
    if (cost !== undefined) span.costUsd = cost;
    span.end = now;
    span.status = 'ok';
    if (s.requestId) trace.requests.set(s.requestId, span);
    trace.lastModel = span;
    trace.boundary = now;
    this.put(span);
    if (subagent === undefined) this.claim(trace, span);
  }

  /** A main-agent tool call without a known request yet waits in the open group for the usage that names it. */
  private awaitRequest(trace: AgentTrace, span: TraceSpan): void {
    if (span.parentSpanId !== trace.task.spanId && span.parentSpanId !== trace.lastModel?.spanId) return;
    if (trace.claimant) return;
    if (!trace.groupOpen) trace.unclaimed.push([]);
    trace.groupOpen = true;
    trace.unclaimed.at(-1)!.push(span);
  }

  /** A main-agent request's usage: the oldest group of waiting tool calls is its; tools starting from now are too. */
  private claim(trace: AgentTrace, model: TraceSpan): void {
    const group = trace.unclaimed.shift();
    for (const tool of group ?? []) {
      tool.parentSpanId = model.spanId;
      this.put(tool);
    }
    if (trace.unclaimed.length === 0 && (trace.groupOpen || group === undefined)) {
      trace.claimant = model;
      trace.groupOpen = false;
    }
  }

  /** A tool call belongs to the subagent running it, else to the model request that asked for it, else the task. */
  private toolParent(trace: AgentTrace): TraceSpan {
    return this.openSubagent(trace) ?? trace.claimant ?? trace.lastModel ?? trace.task;
  }

  private openSubagent(trace: AgentTrace): TraceSpan | undefined {
    let last: TraceSpan | undefined;
    for (const s of trace.tools.values()) if (s.kind === 'subagent') last = s;
    return last;
  }

  private findOpenTool(trace: AgentTrace, tool: string): TraceSpan | undefined {
    let last: TraceSpan | undefined;
    for (const s of trace.tools.values()) if (s.name === tool || s.name.startsWith(`${tool}:`)) last = s;
    return last;
  }

  private span(
    agentId: string,
    trace: AgentTrace | undefined,
    init: Pick<TraceSpan, 'kind' | 'name' | 'start' | 'attributes'> & { parentSpanId?: string | undefined; traceId?: string },
  ): TraceSpan {
    const agentName = this.options.agentName?.(agentId);
    const sessionId = trace?.sessionId ?? this.sessions.get(agentId);
    return {
      traceId: init.traceId ?? trace?.traceId ?? newTraceId(),
      spanId: newSpanId(),
      ...(init.parentSpanId ? { parentSpanId: init.parentSpanId } : {}),
      agentId,
      ...(agentName ? { agentName } : {}),
      ...(sessionId ? { sessionId } : {}),
      kind: init.kind,
      name: init.name,
      start: init.start,
      status: 'running',
      attributes: init.attributes,
    };
  }

  private close(span: TraceSpan, status: SpanStatus, now: number, note?: string): void {
    if (span.status !== 'running') return;
    span.status = status;
    span.end = Math.max(now, span.start);
    if (note && status === 'interrupted') span.attributes['interrupted.why'] = note;
    this.put(span);
  }

  private put(span: TraceSpan): void {
    this.reported.noteWritten(span);
    this.options.write({ ...span, attributes: { ...span.attributes }, ...(span.problems ? { problems: [...span.problems] } : {}) });
  }
}
