// The thresholds of the loop and stuck detectors, per tool kind where it matters (a test run may take long, a Read
// may not). Settings come in as untrusted JSON (flotilla.health.*) and are parsed here; a bad entry is named and the
// defaults stay in force for it.
import { z } from 'zod';

export interface ToolLimits {
  /** How long one call may run before the agent counts as stuck on it. */
  readonly maxSeconds: number;
  /** The same call with the same input this many times in a row is a loop; 0: never (TodoWrite rewrites its list). */
  readonly repeats: number;
}

export interface HealthThresholds {
  /** By tool name; '*' for every other tool. */
  readonly tools: Readonly<Record<string, Partial<ToolLimits>>>;
  /** The same file edited back and forth (A→B→A→B) this many times in one turn is a loop. */
  readonly editFlips: number;
  /** A turn longer than this multiple of the agent's recent turns' median is stuck ... */
  readonly turnMultiple: number;
  /** ... once it is also longer than this (short turns vary a lot). */
  readonly turnFloorMinutes: number;
  /** How many finished turns make "recent" (at least 3 before any turn is judged). */
  readonly recentTurns: number;
  /** A plan step that does not advance for this long while the agent works is stuck. */
  readonly stepStuckMinutes: number;
}

export const DEFAULT_TOOL_LIMITS: Readonly<Record<string, Partial<ToolLimits>>> = {
  '*': { maxSeconds: 300, repeats: 3 },
  // Builds and test runs take long; Bash's own timeout (2-10 min) also holds off the stall watch.
  Bash: { maxSeconds: 1200 },
  exec_command: { maxSeconds: 1200 },
  // Reading and searching are quick: minutes on one is a hang.
  Read: { maxSeconds: 60 },
  Grep: { maxSeconds: 90 },
  Glob: { maxSeconds: 60 },
  Edit: { maxSeconds: 60 },
  Write: { maxSeconds: 60 },
  WebFetch: { maxSeconds: 180 },
  // A subagent does a whole task.
  Task: { maxSeconds: 3600 },
  // The plan tools rewrite the same list as work goes on; a repeat says nothing.
  TodoWrite: { maxSeconds: 60, repeats: 0 },
};

export const DEFAULT_THRESHOLDS: HealthThresholds = {
  tools: DEFAULT_TOOL_LIMITS,
  editFlips: 2,
  turnMultiple: 3,
  turnFloorMinutes: 15,
  recentTurns: 5,
  stepStuckMinutes: 30,
};

/** The limits for one tool: its own entry over '*' over the built-in defaults. */
export function toolLimits(t: HealthThresholds, tool: string): ToolLimits {
  const star = { ...DEFAULT_TOOL_LIMITS['*'], ...t.tools['*'] };
  const own = { ...DEFAULT_TOOL_LIMITS[tool], ...t.tools[tool] };
  return { maxSeconds: own.maxSeconds ?? star.maxSeconds ?? 300, repeats: own.repeats ?? star.repeats ?? 3 };
}

const LimitsSchema = z.object({ maxSeconds: z.number().positive().optional(), repeats: z.number().int().nonnegative().optional() }).strict();
const ToolsSchema = z.record(z.string().min(1), LimitsSchema);

/**
 * `flotilla.health.toolLimits` as the user wrote it, merged over the defaults. Each bad entry is reported with its
 * field ("toolLimits.Read.maxSeconds: ...") and left out; the rest applies.
 */
export function parseToolLimits(raw: unknown, report: (problem: string) => void): Record<string, Partial<ToolLimits>> {
  const merged: Record<string, Partial<ToolLimits>> = { ...DEFAULT_TOOL_LIMITS };
  if (raw === undefined || raw === null) return merged;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    report('toolLimits: expected an object of tool name -> { maxSeconds, repeats }');
    return merged;
  }
  for (const [tool, value] of Object.entries(raw as Record<string, unknown>)) {
    const parsed = ToolsSchema.safeParse({ [tool]: value });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      report(`toolLimits.${issue.path.join('.')}: ${issue.message}`);
      continue;
    }
    merged[tool] = { ...merged[tool], ...parsed.data[tool] };
  }
  return merged;
}
