// Fleet health as the tree and tooltips see it: where an agent is in its plan (progress) and whether it looks
// looping or stuck (health), with the evidence. DTOs only; src/core/health computes them from facts.
import { z } from 'zod';

/** "step k of n: label", as the agent reported it; `marker` says what was odd about it (shown, never fixed). */
export const ProgressSchema = z.object({
  step: z.number().int(),
  of: z.number().int().optional(),
  label: z.string().max(512).optional(),
  /** When the agent reached this step (the tree shows how long it has been on it). */
  since: z.number(),
  /** Where it comes from: Claude Code's todo list, a remote heartbeat. */
  source: z.enum(['todo', 'heartbeat']),
  /** Bad input kept as reported: "step 9 of 7", "todo list without states". */
  marker: z.string().max(256).optional(),
});
export type Progress = z.infer<typeof ProgressSchema>;

export const HealthFlagSchema = z.enum(['looping', 'stuck']);
export type HealthFlag = z.infer<typeof HealthFlagSchema>;

/** A flag with the evidence that raised it ("Bash: npm test failed 3 times in a row"). */
export const HealthSchema = z.object({
  flag: HealthFlagSchema,
  /** The words for the row: "looping", "stuck on step 3 of 7". */
  summary: z.string().max(256),
  evidence: z.array(z.string().max(1024)).max(20),
  since: z.number(),
});
export type Health = z.infer<typeof HealthSchema>;

/** "3/7 running the tests" (or "step 3" without a total), with the marker when the report was odd. */
export function progressText(p: Progress): string {
  const position = p.of === undefined ? `step ${p.step}` : `${p.step}/${p.of}`;
  const text = p.label ? `${position} ${p.label}` : position;
  return p.marker ? `${text} (⚠ ${p.marker})` : text;
}
