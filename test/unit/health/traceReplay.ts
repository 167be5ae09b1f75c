// Replays a recorded Claude Code hook sequence (test/unit/health/traces/*.jsonl, made by traces/record.ts with the
// real CLI) through the real hook mapping into a health rig: each payload becomes the facts Flotilla routes, at the
// recorded time or at a time the test stretches it to (a test run that took 300 ms can be made to take 8 minutes).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hookFacts } from '../../../src/adapters/claudeCode/hookMapping';
import type { ToolAction } from '../../../src/core/agents/agentSignal';
import { parseHookPayload } from '../../../src/shared/claudeCode/hookPayloads';
import type { HookPayload } from '../../../src/shared/claudeCode/hookPayloads';
import type { HealthRig } from './healthKit';

export interface RecordedHook {
  /** Milliseconds since the first event of the recording. */
  readonly t: number;
  readonly payload: HookPayload;
}

export function loadTrace(name: string): RecordedHook[] {
  const text = fs.readFileSync(path.join(__dirname, 'traces', `${name}.jsonl`), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line, i) => {
      const { t, payload } = JSON.parse(line) as { t: number; payload: unknown };
      const parsed = parseHookPayload(payload);
      if (!parsed.ok) throw new Error(`${name}.jsonl line ${i + 1}: ${parsed.field}: ${parsed.error}`);
      return { t, payload: parsed.payload };
    });
}

export interface ReplayOptions {
  /**
   * How long to wait before this event, given the recorded gap since the previous one (default: the recorded gap).
   * `prev` is the event before it.
   */
  readonly gap?: (recordedMs: number, event: RecordedHook, prev: RecordedHook | undefined) => number;
  /** Called for a PreToolUse before its facts are routed (a policy gate sees the call there). */
  readonly beforeTool?: (action: ToolAction) => void;
  /** Called after each event's facts. */
  readonly after?: (event: RecordedHook) => void;
}

/** Feeds the recording to the rig's agent, moving the rig's clock (its health sweeps run on the way). */
export function replay(rig: HealthRig, trace: readonly RecordedHook[], options: ReplayOptions = {}): void {
  let sessionId: string | undefined;
  let prev: RecordedHook | undefined;
  for (const event of trace) {
    const recorded = prev ? event.t - prev.t : 0;
    rig.clock.advance(Math.max(0, options.gap ? options.gap(recorded, event, prev) : recorded));
    const out = hookFacts(event.payload, sessionId);
    if (out.tool && out.asks === 'PreToolUse') options.beforeTool?.(out.tool);
    for (const fact of out.facts) {
      if (fact.type === 'session' && fact.phase === 'started' && fact.sessionId) sessionId = fact.sessionId;
      rig.send(fact);
    }
    options.after?.(event);
    prev = event;
  }
}

/** The tool a hook event is about, if any. */
export const toolOf = (e: RecordedHook): { name: string; input: Record<string, unknown> } | undefined =>
  e.payload.hook_event_name === 'PreToolUse' || e.payload.hook_event_name === 'PostToolUse' || e.payload.hook_event_name === 'PostToolUseFailure' ? { name: e.payload.tool_name, input: e.payload.tool_input } : undefined;
