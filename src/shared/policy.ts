// The approval policy vocabulary: risk tiers, the rule/file schema of `.flotilla/policy.json` (and of the
// `flotilla.policy` setting), and the decision DTO the core hands to the UI. Shared with the webviews.
import { z } from 'zod';

/** Risk tiers, from the least to the most strict. */
export const POLICY_TIERS = ['autonomous', 'notify', 'approve', 'prohibited'] as const;
export const PolicyTierSchema = z.enum(POLICY_TIERS);
export type PolicyTier = z.infer<typeof PolicyTierSchema>;

/** Strictness rank of a tier: prohibited (3) > approve (2) > notify (1) > autonomous (0). */
export function tierRank(tier: PolicyTier): number {
  return POLICY_TIERS.indexOf(tier);
}

export function stricterTier(a: PolicyTier, b: PolicyTier): PolicyTier {
  return tierRank(a) >= tierRank(b) ? a : b;
}

const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/+-]*$/;

/** A wildcard: `*` any run of characters (slashes too), `?` one character, `{a,b}` alternatives, `[abc]` a class, `\` escapes. */
const GlobSchema = z.string().min(1, { error: 'expected a non-empty pattern' });
const GlobsSchema = z.union([GlobSchema, z.array(GlobSchema).min(1, { error: 'expected at least one pattern' })]);
export type Globs = z.infer<typeof GlobsSchema>;

/**
 * A path pattern. A string is a picomatch glob: relative ones ("src/**") match paths inside the agent's worktree,
 * ones starting with "/" or "~/" match the resolved absolute path. The object forms match by place.
 */
export const PathPatternSchema = z.union([
  GlobSchema,
  z.strictObject({ outsideWorktree: z.literal(true) }),
  z.strictObject({ insideWorktree: z.literal(true) }),
]);
export type PathPattern = z.infer<typeof PathPatternSchema>;
const PathPatternsSchema = z.union([PathPatternSchema, z.array(PathPatternSchema).min(1)]);

/** A URL pattern: a string is a host glob ("*.github.com"); the object also matches scheme and path. */
export const UrlPatternSchema = z.union([
  GlobSchema,
  z.strictObject({ host: GlobsSchema.optional(), scheme: GlobsSchema.optional(), path: GlobsSchema.optional() }),
]);
export type UrlPattern = z.infer<typeof UrlPatternSchema>;

/** Matches one simple shell command, after wrappers (sudo, env, timeout, xargs, bash -c ...) are peeled off. */
export interface CommandPatternObject {
  /** The command's base name ("/bin/rm" is "rm"). */
  command: Globs;
  /** Operands (non-option arguments) in order from the first one; more operands may follow. */
  args?: string[];
  /** Options that must all be present; an inner array lists alternatives ("-f" or "--force"). Clusters like -rf count as -r and -f. */
  flags?: (string | string[])[];
  /** Options none of which may be present. */
  withoutFlags?: string[];
  /** Some operand, anywhere, matches. */
  anyArg?: Globs;
  /** Some operand, read as a path (relative to the command's directory, ~ and $HOME expanded), matches. */
  argPaths?: PathPattern | PathPattern[];
  /** The command is run through a wrapper matching this (sudo, doas, env, xargs, timeout, bash, find ...). */
  via?: Globs;
  /** An earlier stage of the same pipeline, or a $(...)/<(...) in its arguments, matches this pattern. */
  pipedFrom?: CommandPattern;
  /**
   * `true`: the command only reads. Flotilla keeps a table of allowed options and operands per program (ls, cat,
   * grep, sed without e/w/-i, git's read subcommands without --output ...); a command matches only when its
   * program is in the table and every option it was given is, and nothing in it runs code or writes.
   */
  readOnly?: true;
}
/** A command pattern; the string form "git push --force* origin" reads as command, options anywhere, operands in order. */
export type CommandPattern = string | CommandPatternObject;

export const CommandPatternSchema: z.ZodType<CommandPattern> = z.lazy(() =>
  z.union([
    GlobSchema,
    z.strictObject({
      command: GlobsSchema,
      args: z.array(GlobSchema).optional(),
      flags: z.array(GlobsSchema).optional(),
      withoutFlags: z.array(GlobSchema).optional(),
      anyArg: GlobsSchema.optional(),
      argPaths: PathPatternsSchema.optional(),
      via: GlobsSchema.optional(),
      pipedFrom: CommandPatternSchema.optional(),
      readOnly: z.literal(true).optional(),
    }),
  ]),
);

export const AgentPatternSchema = z.strictObject({
  id: GlobsSchema.optional(),
  name: GlobsSchema.optional(),
  kind: GlobsSchema.optional(),
  group: GlobsSchema.optional(),
  sessionId: GlobsSchema.optional(),
});
export type AgentPattern = z.infer<typeof AgentPatternSchema>;

/**
 * One rule. Every criterion given must match (AND); a list inside a criterion means any of them (OR).
 * Among the rules that match an action the strictest tier wins; `override` rules (autonomous/notify only)
 * instead lower an `approve` or `notify` result, and never a `prohibited` one.
 */
export const PolicyRuleSchema = z
  .strictObject({
    id: z.string().regex(RULE_ID, { error: 'expected an id of letters, digits and . _ : @ / + - (starting with a letter or digit)' }),
    description: z.string().optional(),
    tier: PolicyTierSchema,
    /** Told to the human and, when denied, to the agent. Defaults to the description. */
    reason: z.string().optional(),
    override: z.boolean().optional(),
    enabled: z.boolean().optional(),
    agent: AgentPatternSchema.optional(),
    /** Tool names: Bash, Write, Edit, Read, WebFetch, mcp__github__* ... */
    tool: GlobsSchema.optional(),
    /** Shell commands: the rule matches each simple command of a command line that matches one of these. */
    command: z.union([CommandPatternSchema, z.array(CommandPatternSchema).min(1)]).optional(),
    /** A whole command line, compared exactly after normalising quotes and spaces. */
    commandLine: z.string().min(1).optional(),
    /** File paths the tool reads or writes (shell commands: redirections and operands). */
    path: PathPatternsSchema.optional(),
    /** Restricts `path` to reads or writes. */
    access: z.enum(['read', 'write']).optional(),
    url: z.union([UrlPatternSchema, z.array(UrlPatternSchema).min(1)]).optional(),
    /** MCP tools (`mcp__<server>__<tool>`). */
    mcp: z.strictObject({ server: GlobsSchema.optional(), tool: GlobsSchema.optional() }).optional(),
  })
  .check((ctx) => {
    const rule = ctx.value;
    if (rule.override && (rule.tier === 'approve' || rule.tier === 'prohibited')) {
      ctx.issues.push({
        code: 'custom',
        input: rule.override,
        path: ['override'],
        message: 'override is only for autonomous or notify rules (it lowers a stricter result)',
      });
    }
  });
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;

const RulesSchema = z.array(PolicyRuleSchema).check((ctx) => {
  const seen = new Map<string, number>();
  ctx.value.forEach((rule, index) => {
    const first = seen.get(rule.id);
    if (first !== undefined) {
      ctx.issues.push({ code: 'custom', input: rule.id, path: [index, 'id'], message: `duplicate rule id "${rule.id}" (first used by rules[${first}])` });
    } else seen.set(rule.id, index);
  });
});

/** A bare rules array: the short form the `flotilla.policy` setting may use. */
export const PolicyRulesSchema = RulesSchema;

/** `.flotilla/policy.json`, and the object form of the `flotilla.policy` setting. */
export const PolicyFileSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1).optional(),
  /** The tier of an action no rule matches. */
  defaultTier: PolicyTierSchema.optional(),
  /** Ids (wildcards allowed) of rules from earlier layers to switch off. */
  disable: z.array(GlobSchema).optional(),
  rules: RulesSchema.optional(),
});
export type PolicyFile = z.infer<typeof PolicyFileSchema>;

export const PolicyAgentSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  group: z.string().optional(),
  sessionId: z.string().optional(),
});
export type PolicyAgent = z.infer<typeof PolicyAgentSchema>;

/** What an agent wants to do. `input` is the tool's raw JSON input, validated by the engine. */
export const PolicyRequestSchema = z.object({
  agent: PolicyAgentSchema,
  tool: z.string(),
  input: z.unknown(),
  cwd: z.string(),
  worktreeRoot: z.string(),
});
export type PolicyRequest = z.infer<typeof PolicyRequestSchema>;

/** The part of a request a decision turned on: one shell command, one path, one URL, or the tool itself. */
export const PolicyMatchSchema = z.object({
  kind: z.enum(['command', 'path', 'url', 'tool']),
  /** The command text, path, URL or tool name, for display. */
  subject: z.string(),
  via: z.array(z.string()).optional(),
  outsideWorktree: z.boolean().optional(),
  /** Set when an override rule lowered the tier. */
  overriddenRuleId: z.string().optional(),
  /** Every rule that matched this part, strictest first. */
  ruleIds: z.array(z.string()),
  /** Why this command may run code or write where the policy cannot see; such a command is never below approve. */
  hazards: z.array(z.string()).optional(),
});
export type PolicyMatch = z.infer<typeof PolicyMatchSchema>;

export const PolicyDecisionSchema = z.object({
  tier: PolicyTierSchema,
  /** The deciding rule, or null when no rule matched (the default tier) or the input could not be understood. */
  ruleId: z.string().nullable(),
  ruleDescription: z.string(),
  /** One sentence for a human (and for the agent when denied). */
  reason: z.string(),
  matched: PolicyMatchSchema,
});
export type PolicyDecision = z.infer<typeof PolicyDecisionSchema>;
