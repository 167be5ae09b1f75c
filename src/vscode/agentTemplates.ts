// Agent templates (the `flotilla.agentTemplates` setting): a name pattern ("reviewer-{n}"), a kind, a first prompt,
// a group, a budget, policy additions and a count, so "New Agent from Template…" starts several agents at once, each
// in its own worktree. Parsing (zod, errors naming the entry and field), the names a start would take, and the policy
// layer the templates add. vscode-free, tested in Node.
import { z } from 'zod';
import { parseBudgetInput } from '../core/budgetInput';
import { worktreeNameProblem } from '../core/git/worktreeName';
import type { PolicyLayer } from '../core/policy/composePolicy';
import { escapeWildcard } from '../core/policy/wildcard';
import { PolicyRuleSchema } from '../shared/policy';
import type { PolicyRule } from '../shared/policy';
import type { BudgetLimits } from '../shared/agent';

export const TEMPLATES_SETTING = 'flotilla.agentTemplates';
export const MAX_TEMPLATE_COUNT = 20;

export const AgentTemplateSchema = z.strictObject({
  /** The agents' names; {n} becomes 1, 2, 3… (the first numbers not taken). Without {n}, "-{n}" is added when needed. */
  name: z.string().trim().min(1).max(60),
  /** Shown in the picker; defaults to the name pattern. */
  label: z.string().min(1).max(100).optional(),
  kind: z.enum(['claude-code', 'codex']).default('claude-code'),
  prompt: z.string().max(20_000).optional(),
  group: z.string().trim().min(1).max(128).optional(),
  /** Per agent, as New Agent's budget step reads it: "$5", "30m", "200k tokens", "$5, 30m". */
  budget: z
    .string()
    .optional()
    .check((ctx) => {
      if (ctx.value === undefined) return;
      const parsed = parseBudgetInput(ctx.value);
      if (!parsed.ok) ctx.issues.push({ code: 'custom', input: ctx.value, message: parsed.message });
    }),
  /** Policy rules for these agents only (each is scoped to the template's names; `agent` patterns are narrowed). */
  policy: z.array(PolicyRuleSchema).max(100).optional(),
  count: z.number().int().min(1).max(MAX_TEMPLATE_COUNT).default(1),
});
export type AgentTemplate = z.infer<typeof AgentTemplateSchema>;

export interface TemplateParse {
  readonly templates: AgentTemplate[];
  /** One line per entry left out: "flotilla.agentTemplates[1].budget: '5 dollars' is not a budget …". */
  readonly problems: string[];
}

/** A tolerant read of the setting: good entries are kept, each bad one is named with its field. */
export function parseTemplates(raw: unknown): TemplateParse {
  if (raw === undefined || raw === null) return { templates: [], problems: [] };
  if (!Array.isArray(raw)) return { templates: [], problems: [`${TEMPLATES_SETTING}: expected a list of templates`] };
  const templates: AgentTemplate[] = [];
  const problems: string[] = [];
  raw.forEach((entry, i) => {
    const parsed = AgentTemplateSchema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
      problems.push(`${TEMPLATES_SETTING}[${i}]${field}: ${issue.message}`);
      return;
    }
    const scoped = (parsed.data.policy ?? []).findIndex((r) => r.agent?.name !== undefined || (parsed.data.group !== undefined && r.agent?.group !== undefined));
    if (scoped >= 0) {
      problems.push(`${TEMPLATES_SETTING}[${i}].policy[${scoped}].agent: the template scopes its rules to its own agents (by name and group); leave those out`);
      return;
    }
    const problem = worktreeNameProblem(firstName(parsed.data.name));
    if (problem) {
      problems.push(`${TEMPLATES_SETTING}[${i}].name: ${problem}`);
      return;
    }
    templates.push(parsed.data);
  });
  return { templates, problems };
}

const firstName = (pattern: string): string => (pattern.includes('{n}') ? pattern.replaceAll('{n}', '1') : pattern);

/** The names `count` agents of this pattern would take: the first numbers whose names are free. */
export function templateNames(pattern: string, count: number, isTaken: (name: string) => boolean): string[] {
  const numbered = pattern.includes('{n}') ? pattern : `${pattern}-{n}`;
  // A pattern without {n} starting one agent keeps its plain name when that is free.
  if (!pattern.includes('{n}') && count === 1 && !isTaken(pattern)) return [pattern];
  const names: string[] = [];
  for (let n = 1; names.length < count; n++) {
    const name = numbered.replaceAll('{n}', String(n));
    if (!isTaken(name)) names.push(name);
  }
  return names;
}

/** The glob of every name a template can give ("reviewer-{n}" -> "reviewer-*"), for scoping its policy rules. */
export function templateNameGlob(pattern: string): string[] {
  const parts = pattern.split('{n}').map(escapeWildcard);
  return parts.length > 1 ? [parts.join('*')] : [parts[0]!, `${parts[0]!}-*`];
}

/**
 * The templates' policy additions as one layer, each rule narrowed to the template's agents (by name, and by group
 * when the template has one). The layer is composed like a workspace layer: it may add and tighten rules, never
 * loosen a protected one.
 */
export function templatePolicyLayer(templates: readonly AgentTemplate[]): PolicyLayer | undefined {
  const rules: PolicyRule[] = templates.flatMap((t) =>
    (t.policy ?? []).map((rule) => ({
      ...rule,
      id: `template:${t.name.replaceAll('{n}', 'n')}:${rule.id}`.replace(/[^A-Za-z0-9._:@/+-]/g, '_'),
      agent: { ...rule.agent, name: templateNameGlob(t.name), ...(t.group ? { group: t.group } : {}) },
    })),
  );
  return rules.length ? { source: TEMPLATES_SETTING, policy: { rules } } : undefined;
}

/** The template's budget, parsed (the schema checked it). */
export function templateBudget(t: AgentTemplate): BudgetLimits | undefined {
  const parsed = t.budget === undefined ? undefined : parseBudgetInput(t.budget);
  return parsed?.ok ? parsed.limits : undefined;
}

/** "3 × Claude Code · group review · $5, 30m each" for the picker. */
export function templateDescription(t: AgentTemplate, kindLabel: string): string {
  return [`${t.count} × ${kindLabel}`, t.group ? `group ${t.group}` : '', t.budget ? `${t.budget} each` : '', t.policy?.length ? `${t.policy.length} policy rule${t.policy.length === 1 ? '' : 's'}` : '']
    .filter(Boolean)
    .join(' · ');
}
