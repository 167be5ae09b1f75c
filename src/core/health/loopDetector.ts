// Loops and stuck work, from facts: the same call with the same input N times in a row, a file edited back and forth,
// a turn far longer than the agent's own recent turns, a tool call or a plan step that does not end. Pure state per
// agent (bounded), no timers: the fleet health service feeds facts and sweeps the time-based checks.
import { createHash } from 'node:crypto';
import type { AgentSignal, ToolAction } from '../agents/agentSignal';
import { formatDuration } from '../format';
import type { AgentSnapshot } from '../../shared/agent';
import { progressText } from '../../shared/health';
import type { HealthThresholds } from './healthThresholds';
import { toolLimits } from './healthThresholds';

/** A finding: the words for the row and the evidence. */
export interface Finding {
  readonly flag: 'looping' | 'stuck';
  readonly summary: string;
  readonly evidence: readonly string[];
}

interface EditStep {
  readonly from: string;
  readonly to: string;
}

interface AgentLoops {
  lastKey?: string;
  lastSummary?: string;
  repeats: number;
  failures: number;
  lastError?: string;
  /** Per file: its edits this turn (the newest 8) and how often one undid an earlier one. */
  edits: Map<string, { steps: EditStep[]; flips: number; lastContent?: string }>;
  turnStartedAt?: number;
  recentTurns: number[];
  loop?: Finding;
  /** What raised the loop: a repeated call clears when a different call goes through; edits only with a new turn. */
  loopKind?: 'repeat' | 'edits';
}

const MAX_FILES = 50;
const EDIT_TOOLS: ReadonlySet<string> = new Set(['Edit', 'MultiEdit', 'Write', 'str_replace_based_edit_tool']);

const digest = (text: string): string => createHash('sha1').update(text).digest('base64').slice(0, 16);

/** Key of a call: tool + its input with keys sorted (the same call written twice hashes the same). */
export function callKey(action: ToolAction): string {
  return `${action.tool}:${digest(stableJson(action.input))}`;
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
    .join(',')}}`;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const str = (o: unknown, k: string): string | undefined => (o && typeof o === 'object' && typeof (o as Record<string, unknown>)[k] === 'string' ? ((o as Record<string, unknown>)[k] as string) : undefined);

export class LoopDetector {
  private readonly agents = new Map<string, AgentLoops>();

  constructor(private readonly thresholds: () => HealthThresholds) {}

  /** Feeds one fact; returns the agent's loop finding (sticky until it moves on or its turn ends), or undefined. */
  observe(agentId: string, fact: AgentSignal, now: number): Finding | undefined {
    const a = this.state(agentId);
    switch (fact.type) {
      case 'turn':
        if (fact.phase === 'started') {
          // A new prompt: the user (or the agent's own next turn) moved it on.
          a.turnStartedAt = now;
          a.repeats = 0;
          a.lastKey = undefined;
          a.edits.clear();
          a.loop = undefined;
          a.loopKind = undefined;
        } else {
          if (fact.phase === 'ended' && a.turnStartedAt !== undefined) {
            a.recentTurns.push(now - a.turnStartedAt);
            const keep = Math.max(3, this.thresholds().recentTurns);
            if (a.recentTurns.length > keep) a.recentTurns.splice(0, a.recentTurns.length - keep);
          }
          a.turnStartedAt = undefined;
          // The turn is over, and with it the loop: an idle agent is not looping (the scorecard keeps the count).
          a.repeats = 0;
          a.lastKey = undefined;
          a.loop = undefined;
          a.loopKind = undefined;
        }
        return a.loop;
      case 'tool':
        if (fact.phase === 'started') this.started(a, fact.action);
        else this.settled(a, fact.action, fact.phase === 'failed', fact.detail);
        return a.loop;
      default:
        return a.loop;
    }
  }

  /** The time-based checks on a live agent: a tool call over its kind's limit, a long turn, a step that does not move. */
  sweep(agent: AgentSnapshot, now: number): Finding | undefined {
    if (agent.status !== 'working' && agent.status !== 'stalled') return undefined;
    const t = this.thresholds();
    const a = this.agents.get(agent.id);
    const evidence: string[] = [];
    const tool = agent.currentTool;
    if (tool) {
      const limit = Math.max(toolLimits(t, tool.name).maxSeconds * 1000, tool.timeoutMs ?? 0);
      const running = now - tool.since;
      if (running > limit) evidence.push(`${tool.summary} running for ${formatDuration(running)} (a ${tool.name} call may take ${formatDuration(limit)})`);
    }
    if (a?.turnStartedAt !== undefined && a.recentTurns.length >= 3) {
      const typical = median(a.recentTurns);
      const turn = now - a.turnStartedAt;
      if (turn > t.turnFloorMinutes * 60_000 && turn > t.turnMultiple * typical) {
        evidence.push(`this turn has run ${formatDuration(turn)}, over ${t.turnMultiple}× its recent turns (median ${formatDuration(typical)})`);
      }
    }
    const p = agent.progress;
    if (p && agent.status === 'working' && now - p.since > t.stepStuckMinutes * 60_000) {
      evidence.push(`on ${progressText(p)} for ${formatDuration(now - p.since)}`);
    }
    if (evidence.length === 0) return undefined;
    const summary = p && p.of !== undefined && !p.marker ? `stuck on step ${p.step} of ${p.of}` : 'stuck';
    return { flag: 'stuck', summary, evidence };
  }

  /** The agent's loop finding now, if any. */
  current(agentId: string): Finding | undefined {
    return this.agents.get(agentId)?.loop;
  }

  forget(agentId: string): void {
    this.agents.delete(agentId);
  }

  private started(a: AgentLoops, action: ToolAction): void {
    const key = callKey(action);
    if (key === a.lastKey) a.repeats++;
    else {
      a.lastKey = key;
      a.repeats = 1;
      a.failures = 0;
      a.lastError = undefined;
    }
    a.lastSummary = action.summary;
    const limit = toolLimits(this.thresholds(), action.tool).repeats;
    if (limit > 0 && a.repeats >= limit && a.loopKind !== 'edits') {
      a.loop = this.repeatFinding(a);
      a.loopKind = 'repeat';
    }
    if (EDIT_TOOLS.has(action.tool)) this.edited(a, action);
  }

  private settled(a: AgentLoops, action: ToolAction, failed: boolean, detail: string | undefined): void {
    const key = callKey(action);
    if (key !== a.lastKey) return;
    if (failed) {
      a.failures++;
      if (detail) a.lastError = detail.length > 200 ? `${detail.slice(0, 199)}…` : detail;
      if (a.loopKind === 'repeat') a.loop = this.repeatFinding(a);
    } else if (a.loopKind === 'repeat' && a.repeats === 1) {
      // A different call went through: the agent moved on.
      a.loop = undefined;
      a.loopKind = undefined;
    }
  }

  private repeatFinding(a: AgentLoops): Finding {
    const evidence = [`${a.lastSummary ?? 'the same call'}: ${a.repeats} times in a row with the same input`];
    if (a.failures > 0) evidence.push(`failed ${a.failures} time${a.failures === 1 ? '' : 's'}${a.lastError ? `: ${a.lastError}` : ''}`);
    return { flag: 'looping', summary: 'looping', evidence };
  }

  /** Back and forth: an edit that undoes an earlier one on the same file (A→B, then B→A). */
  private edited(a: AgentLoops, action: ToolAction): void {
    const file = str(action.input, 'file_path') ?? str(action.input, 'path');
    if (!file) return;
    let f = a.edits.get(file);
    if (!f) {
      if (a.edits.size >= MAX_FILES) a.edits.delete(a.edits.keys().next().value!);
      f = { steps: [], flips: 0 };
      a.edits.set(file, f);
    }
    let step: EditStep | undefined;
    const content = str(action.input, 'content');
    if (content !== undefined) {
      const to = digest(content);
      if (f.lastContent !== undefined) step = { from: f.lastContent, to };
      f.lastContent = to;
    } else {
      const oldS = str(action.input, 'old_string') ?? str(action.input, 'old_str');
      const newS = str(action.input, 'new_string') ?? str(action.input, 'new_str');
      if (oldS !== undefined && newS !== undefined) step = { from: digest(oldS), to: digest(newS) };
    }
    if (!step) return;
    if (f.steps.some((s) => s.from === step.to && s.to === step.from)) f.flips++;
    f.steps.push(step);
    if (f.steps.length > 8) f.steps.shift();
    if (f.flips >= this.thresholds().editFlips) {
      a.loop = { flag: 'looping', summary: 'looping', evidence: [`${file} edited back and forth ${f.flips} times this turn (a change undone, then made again)`] };
      a.loopKind = 'edits';
    }
  }

  private state(agentId: string): AgentLoops {
    let a = this.agents.get(agentId);
    if (!a) {
      a = { repeats: 0, failures: 0, edits: new Map(), recentTurns: [] };
      this.agents.set(agentId, a);
    }
    return a;
  }
}
