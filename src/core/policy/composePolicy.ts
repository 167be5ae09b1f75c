// Puts the policy layers together, weakest first: the floor and the shipped default, then the user's own
// setting, then the workspace (its `.flotilla/policy.json` and workspace `flotilla.policy` values; only in a
// trusted workspace), then the session's "always allow" rules. The user may loosen anything, and each loosening
// of a protected rule comes back as a warning; workspace and session layers may add and tighten rules but an
// entry that would switch off or lower a protected rule (the floor, anything prohibited) or the default tier is
// skipped and listed in `ignored`, while the rest of the layer still applies.
import { isDeepStrictEqual } from 'node:util';
import { tierRank } from '../../shared/policy';
import type { PolicyFile, PolicyRule, PolicyTier } from '../../shared/policy';
import { DEFAULT_POLICY } from './defaultPolicy';
import { FLOOR_POLICY, isFloorRuleId } from './floorPolicy';
import { mergePolicies } from './loadPolicy';
import { compileWildcards, escapeWildcard } from './wildcard';

/** A policy and where it came from, for messages ("flotilla.policy (workspace settings)"). */
export interface PolicyLayer {
  readonly source: string;
  readonly policy: PolicyFile;
}

export interface ComposeInput {
  /** The user's own (global) `flotilla.policy` setting: may loosen protected rules, with a warning. */
  readonly user?: PolicyFile;
  /** Workspace layers, weakest first; a bare PolicyFile is `.flotilla/policy.json`. Applied only when trusted. */
  readonly workspace?: PolicyFile | readonly PolicyLayer[];
  /** The in-memory "always allow for this session" rules: restricted like a workspace layer. */
  readonly session?: PolicyFile;
  readonly workspaceTrusted: boolean;
}

export interface ComposedPolicy {
  readonly policy: PolicyFile;
  /** Protected rules (or the default tier) the user's setting loosened: the UI tells the user once. */
  readonly warnings: string[];
  /** Workspace or session entries skipped because they would loosen a protected rule, each naming its source. */
  readonly ignored: string[];
  /** False when workspace layers were given but not applied (untrusted workspace). */
  readonly workspaceApplied: boolean;
}

export const USER_SOURCE = 'flotilla.policy (user settings)';
export const WORKSPACE_FILE_SOURCE = '.flotilla/policy.json';
export const SESSION_SOURCE = 'session rules';

interface State {
  rules: PolicyRule[];
  defaultTier: PolicyTier;
}

function names(ids: readonly string[], max = 4): string {
  const shown = ids.slice(0, max).join(', ');
  return ids.length > max ? `${shown} and ${ids.length - max} more` : shown;
}

function describe(rule: PolicyRule): string {
  return rule.description ? `${rule.id} (${rule.description})` : rule.id;
}

/** Rules nothing below the user may switch off or lower: the floor, and whatever is prohibited by now. */
function protectedIds(state: State): Set<string> {
  return new Set(state.rules.filter((r) => isFloorRuleId(r.id) || r.tier === 'prohibited').map((r) => r.id));
}

function apply(state: State, layer: PolicyFile): State {
  const merged = mergePolicies({ defaultTier: state.defaultTier, rules: state.rules }, layer);
  return { rules: merged.rules ?? [], defaultTier: merged.defaultTier ?? state.defaultTier };
}

/** How a same-id rule from a later layer changes a protected one, or null when it changes nothing. */
function loosening(current: PolicyRule, next: PolicyRule): string | null {
  if (isDeepStrictEqual(current, next)) return null;
  if (next.enabled === false) return 'switches off';
  if (tierRank(next.tier) < tierRank(current.tier)) return `lowers from ${current.tier} to ${next.tier}`;
  if (next.override) return 'replaces with an override rule';
  return 'replaces with its own version of';
}

/** The user's loosenings of protected rules and of the default tier (applied, but reported). */
function userWarnings(state: State, user: PolicyFile): string[] {
  const out: string[] = [];
  const guarded = protectedIds(state);
  const byId = new Map(state.rules.map((r) => [r.id, r]));
  for (const pattern of user.disable ?? []) {
    const off = compileWildcards(pattern);
    const hit = [...guarded].filter((id) => off(id));
    if (hit.length) out.push(`${USER_SOURCE} switches off protected rule${hit.length > 1 ? 's' : ''} ${names(hit)} ("disable": "${pattern}")`);
  }
  for (const rule of user.rules ?? []) {
    const current = byId.get(rule.id);
    if (!current || !guarded.has(rule.id)) continue;
    const how = loosening(current, rule);
    if (how) out.push(`${USER_SOURCE} ${how} the protected rule ${describe(current)}`);
  }
  if (user.defaultTier && tierRank(user.defaultTier) < tierRank(state.defaultTier)) {
    out.push(`${USER_SOURCE} lowers the default tier from ${state.defaultTier} to ${user.defaultTier}: actions no rule covers run without asking`);
  }
  return out;
}

/** The part of a workspace or session layer that may apply, and what was skipped. */
function restrict(state: State, layer: PolicyLayer): { policy: PolicyFile; ignored: string[] } {
  const ignored: string[] = [];
  const guarded = protectedIds(state);
  const byId = new Map(state.rules.map((r) => [r.id, r]));
  const disable: string[] = [];
  for (const pattern of layer.policy.disable ?? []) {
    const off = compileWildcards(pattern);
    const hit = state.rules.map((r) => r.id).filter((id) => off(id));
    const blocked = hit.filter((id) => guarded.has(id));
    disable.push(...hit.filter((id) => !guarded.has(id)).map(escapeWildcard));
    if (blocked.length) {
      ignored.push(
        `${layer.source}: "disable": "${pattern}" does not switch off the protected rule${blocked.length > 1 ? 's' : ''} ${names(blocked)}; ` +
          'only your user settings can',
      );
    }
  }
  const rules: PolicyRule[] = [];
  for (const rule of layer.policy.rules ?? []) {
    const current = byId.get(rule.id);
    if (current && guarded.has(rule.id)) {
      const how = loosening(current, rule);
      if (how) {
        ignored.push(
          `${layer.source}: rule "${rule.id}" ${how === 'switches off' ? 'would switch off' : 'would replace'} the protected rule ${describe(current)}; ` +
            'it stays as it is (add a rule with another id to tighten it)',
        );
      }
      continue;
    }
    rules.push(rule);
  }
  let defaultTier = layer.policy.defaultTier;
  if (defaultTier && tierRank(defaultTier) < tierRank(state.defaultTier)) {
    ignored.push(`${layer.source}: "defaultTier": "${defaultTier}" would lower the default tier (${state.defaultTier}); a workspace may only make it stricter`);
    defaultTier = undefined;
  }
  return { policy: { ...(defaultTier ? { defaultTier } : {}), ...(disable.length ? { disable } : {}), rules }, ignored };
}

function workspaceLayers(workspace: ComposeInput['workspace']): readonly PolicyLayer[] {
  if (!workspace) return [];
  if (Array.isArray(workspace)) return workspace as readonly PolicyLayer[];
  return [{ source: WORKSPACE_FILE_SOURCE, policy: workspace as PolicyFile }];
}

/** The policy in force, with the user's loosenings (`warnings`) and the workspace's refused entries (`ignored`). */
export function composePolicy(input: ComposeInput): ComposedPolicy {
  // The floor comes first in the list so that, between rules of the same tier, its reason is the one shown.
  let state: State = {
    rules: [...(FLOOR_POLICY.rules ?? []), ...(DEFAULT_POLICY.rules ?? [])],
    defaultTier: DEFAULT_POLICY.defaultTier ?? 'approve',
  };
  const warnings: string[] = [];
  const ignored: string[] = [];
  if (input.user) {
    warnings.push(...userWarnings(state, input.user));
    state = apply(state, input.user);
  }
  const layers = workspaceLayers(input.workspace);
  if (input.workspaceTrusted) {
    for (const layer of layers) {
      const r = restrict(state, layer);
      ignored.push(...r.ignored);
      state = apply(state, r.policy);
    }
  }
  if (input.session) {
    const r = restrict(state, { source: SESSION_SOURCE, policy: input.session });
    ignored.push(...r.ignored);
    state = apply(state, r.policy);
  }
  return {
    policy: { version: 1, defaultTier: state.defaultTier, rules: state.rules },
    warnings,
    ignored,
    workspaceApplied: input.workspaceTrusted || layers.length === 0,
  };
}
