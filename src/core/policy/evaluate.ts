// Decides the tier of one tool request: each unit (shell command, file, URL, tool call) takes the strictest
// rule that matches it (or the default tier), an override rule may lower that unless it is prohibited, and
// the request as a whole takes its strictest unit. Something we cannot read, shell syntax we do not model,
// and a command with hazards (it may run code or write where we cannot see) are never below `approve`:
// no autonomous/notify rule and no override lowers them, while a prohibited rule still wins.
import * as os from 'node:os';
import { tierRank } from '../../shared/policy';
import type { PolicyDecision, PolicyFile, PolicyMatch, PolicyRequest, PolicyTier } from '../../shared/policy';
import { compilePolicy } from './compilePolicy';
import { isFloorRuleId } from './floorPolicy';
import type { CompiledPolicy, CompiledRule, MatchEnv } from './compilePolicy';
import { PathResolver } from './pathResolve';
import type { RealpathFn } from './pathResolve';
import { requestUnits } from './requestUnits';
import type { Unit } from './requestUnits';

export interface EvaluateContext {
  /** The agent's home directory, for ~ and $HOME (defaults to os.homedir()). */
  homeDir?: string;
  /** For tests: replaces fs.realpathSync. */
  realpath?: RealpathFn;
}

interface UnitDecision {
  tier: PolicyTier;
  rule: CompiledRule | null;
  override: CompiledRule | null;
  ruleIds: string[];
  unit: Unit;
  unreadable?: string;
  /** The hazards that kept a command at `approve` or above. */
  hazards?: string[];
}

const TIER_WORD: Record<PolicyTier, string> = {
  autonomous: 'Allowed',
  notify: 'Allowed (reported)',
  approve: 'Needs approval',
  prohibited: 'Prohibited',
};

const compiledCache = new WeakMap<PolicyFile, CompiledPolicy>();

function asCompiled(policy: CompiledPolicy | PolicyFile): CompiledPolicy {
  if ('compiled' in policy && policy.compiled === true) return policy;
  const file = policy as PolicyFile;
  let c = compiledCache.get(file);
  if (!c) compiledCache.set(file, (c = compilePolicy(file)));
  return c;
}

function strictest(rules: readonly CompiledRule[]): CompiledRule | null {
  let best: CompiledRule | null = null;
  for (const r of rules) if (!best || tierRank(r.tier) > tierRank(best.tier)) best = r;
  return best;
}

function decideUnit(unit: Unit, policy: CompiledPolicy, env: MatchEnv): UnitDecision {
  const matched = policy.rules.filter((r) => r.test(unit, env));
  matched.sort((a, b) => tierRank(b.tier) - tierRank(a.tier));
  const ruleIds = matched.map((r) => r.id);
  const normal = matched.filter((r) => !r.override);
  let rule = strictest(normal);
  let tier = rule ? rule.tier : policy.defaultTier;
  // Rules that only qualify a unit (paths outside the worktree ...) do not stand in for the default tier.
  if (rule && !normal.some((r) => r.identifies(unit)) && tierRank(policy.defaultTier) > tierRank(tier)) {
    rule = null;
    tier = policy.defaultTier;
  }
  if (unit.kind === 'unreadable') {
    // Never autonomous, and no override can vouch for something we could not read.
    if (tierRank(tier) < tierRank('approve')) return { tier: 'approve', rule: null, override: null, ruleIds, unit, unreadable: unit.error };
    return { tier, rule, override: null, ruleIds, unit, unreadable: unit.error };
  }
  if (unit.kind === 'command' && unit.command.hazards.length) {
    const hazards = [...unit.command.hazards];
    // Fail closed: nothing vouches for a command that may run code or write unseen.
    if (tierRank(tier) < tierRank('approve')) return { tier: 'approve', rule: null, override: null, ruleIds, unit, hazards };
    return { tier, rule, override: null, ruleIds, unit, hazards };
  }
  let override: CompiledRule | null = null;
  // No override lowers a prohibited result, nor what a floor rule decided (credentials, other processes' environments).
  if (tier !== 'prohibited' && !normal.some((r) => r.tier === tier && isFloorRuleId(r.id))) {
    const o = strictest(matched.filter((r) => r.override));
    if (o && tierRank(o.tier) < tierRank(tier)) {
      override = o;
      tier = o.tier;
    }
  }
  return { tier, rule, override, ruleIds, unit };
}

function subjectOf(unit: Unit, request: PolicyRequest): { kind: PolicyMatch['kind']; subject: string; via?: string[] } {
  switch (unit.kind) {
    case 'command':
      return { kind: 'command', subject: unit.command.text, ...(unit.command.via.length ? { via: [...unit.command.via] } : {}) };
    case 'path':
      return { kind: 'path', subject: unit.path.path };
    case 'url':
      return { kind: 'url', subject: unit.url.raw };
    case 'unreadable':
      return { kind: 'tool', subject: unit.subject };
    default:
      return { kind: 'tool', subject: request.tool };
  }
}

function describe(rule: CompiledRule): string {
  return rule.rule.description ?? `rule "${rule.id}"`;
}

export function evaluate(request: PolicyRequest, policy: CompiledPolicy | PolicyFile, context: EvaluateContext = {}): PolicyDecision {
  const compiled = asCompiled(policy);
  const homeDir = context.homeDir ?? os.homedir();
  const facts = requestUnits(request);
  const env: MatchEnv = {
    request,
    facts,
    resolver: new PathResolver(request.worktreeRoot, request.cwd, homeDir, context.realpath),
    homeDir,
  };
  let worst: UnitDecision | null = null;
  for (const unit of facts.units) {
    const d = decideUnit(unit, compiled, env);
    if (!worst || tierRank(d.tier) > tierRank(worst.tier)) worst = d;
    if (worst.tier === 'prohibited') break;
  }
  const d = worst!;
  const { kind, subject, via } = subjectOf(d.unit, request);
  let outsideWorktree: boolean | undefined;
  if (d.unit.kind === 'path') outsideWorktree = !env.resolver.resolve(d.unit.path.path).inside;

  let ruleId: string | null;
  let ruleDescription: string;
  let reason: string;
  if (d.unreadable !== undefined && (!d.rule || d.tier !== 'prohibited')) {
    ruleId = null;
    if (d.unit.kind === 'unreadable' && d.unit.unmodeled) {
      ruleDescription = 'Shell syntax the policy does not model';
      reason = `${TIER_WORD[d.tier]}: ${subject} uses what the policy does not model (${d.unreadable}), so a human must decide`;
    } else {
      ruleDescription = 'Input that cannot be read safely';
      reason = `${TIER_WORD[d.tier]}: could not understand ${subject} (${d.unreadable}), so a human must decide`;
    }
  } else if (d.hazards && !d.rule) {
    ruleId = null;
    ruleDescription = 'A command that may run code or write where the policy cannot see';
    reason = `${TIER_WORD[d.tier]}: ${d.hazards.join('; ')}: ${subject}`;
  } else if (d.override) {
    ruleId = d.override.id;
    ruleDescription = describe(d.override);
    const over = d.rule ? `"${d.rule.id}" (${d.rule.tier})` : `the default (${compiled.defaultTier})`;
    reason = `${TIER_WORD[d.tier]} by ${d.override.rule.reason ?? describe(d.override)}, overriding ${over}: ${subject}`;
  } else if (d.rule) {
    ruleId = d.rule.id;
    ruleDescription = describe(d.rule);
    reason = `${TIER_WORD[d.tier]}: ${d.rule.rule.reason ?? describe(d.rule)}: ${subject}`;
  } else {
    ruleId = null;
    ruleDescription = 'No rule matched: the default tier';
    reason = `${TIER_WORD[d.tier]}: no rule covers ${subject}, and the default tier is ${compiled.defaultTier}`;
  }
  const matched: PolicyMatch = {
    kind,
    subject,
    ruleIds: d.ruleIds,
    ...(via ? { via } : {}),
    ...(outsideWorktree !== undefined ? { outsideWorktree } : {}),
    ...(d.override && d.rule ? { overriddenRuleId: d.rule.id } : {}),
    ...(d.hazards ? { hazards: d.hazards } : {}),
  };
  return { tier: d.tier, ruleId, ruleDescription, reason, matched };
}
