// Compiles a policy once into plain predicate functions (wildcards to RegExps, path globs to picomatch
// matchers, command patterns to closures), so evaluating a request is a walk over prepared matchers.
import picomatch from 'picomatch';
import type { CommandPattern, CommandPatternObject, PathPattern, PolicyFile, PolicyRequest, PolicyRule, PolicyTier, UrlPattern } from '../../shared/policy';
import { canonicalCommandLine } from './shellParse';
import { shellParserReady } from './shellParser';
import type { ShellCommand } from './shellParse';
import type { PathResolver } from './pathResolve';
import type { PathRef, RequestUnits, Unit, UrlRef } from './requestUnits';
import { compileWildcards } from './wildcard';
import type { Matcher } from './wildcard';

export interface MatchEnv {
  request: PolicyRequest;
  facts: RequestUnits;
  resolver: PathResolver;
  homeDir: string;
}

type UnitTest = (unit: Unit, env: MatchEnv) => boolean;
type PathTest = (ref: PathRef, env: MatchEnv) => boolean;
type CommandTest = (command: ShellCommand, env: MatchEnv) => boolean;

export interface CompiledRule {
  readonly rule: PolicyRule;
  readonly id: string;
  readonly tier: PolicyTier;
  readonly override: boolean;
  readonly test: UnitTest;
  /**
   * Whether the rule says what this kind of unit *is* (a command pattern, a tool, a path ...), as opposed
   * to only qualifying it (a shell rule about paths outside the worktree). A unit no identifying rule
   * matches also gets the default tier, so an unknown command naming /etc is not merely "notify".
   */
  readonly identifies: (unit: Unit) => boolean;
}

export interface CompiledPolicy {
  readonly compiled: true;
  readonly rules: readonly CompiledRule[];
  readonly defaultTier: PolicyTier;
  readonly source: PolicyFile;
}

const list = <T>(v: T | readonly T[]): readonly T[] => (Array.isArray(v) ? v : [v as T]);

function compilePath(pattern: PathPattern): PathTest {
  if (typeof pattern !== 'string') {
    const wantInside = 'insideWorktree' in pattern;
    return (ref, env) => env.resolver.resolve(ref.path, ref.dirs, ref.dirUnknown).inside === wantInside;
  }
  const opts = { dot: true };
  if (pattern === '~' || pattern.startsWith('~/')) {
    const byHome = new Map<string, (p: string) => boolean>();
    return (ref, env) => {
      let m = byHome.get(env.homeDir);
      if (!m) byHome.set(env.homeDir, (m = picomatch(env.homeDir.replace(/\/+$/, '') + pattern.slice(1), opts)));
      const abs = env.resolver.resolve(ref.path, ref.dirs, ref.dirUnknown).absolute;
      return abs !== null && m(abs);
    };
  }
  const m = picomatch(pattern, opts);
  if (pattern.startsWith('/')) {
    return (ref, env) => {
      const abs = env.resolver.resolve(ref.path, ref.dirs, ref.dirUnknown).absolute;
      return abs !== null && m(abs);
    };
  }
  return (ref, env) => {
    const r = env.resolver.resolve(ref.path, ref.dirs, ref.dirUnknown);
    return r.inside && r.relative !== null && m(r.relative);
  };
}

function compilePaths(patterns: PathPattern | readonly PathPattern[]): PathTest {
  const tests = list(patterns).map(compilePath);
  return (ref, env) => tests.some((t) => t(ref, env));
}

function compileUrl(pattern: UrlPattern): (u: UrlRef) => boolean {
  const p = typeof pattern === 'string' ? { host: pattern } : pattern;
  const host = p.host ? compileWildcards(p.host, true) : null;
  const scheme = p.scheme ? compileWildcards(p.scheme, true) : null;
  const pathM = p.path ? compileWildcards(p.path) : null;
  return ({ url }) => {
    if (!url) return false;
    if (host && !host(url.hostname)) return false;
    if (scheme && !scheme(url.protocol.replace(/:$/, ''))) return false;
    return !pathM || pathM(url.pathname + url.search);
  };
}

/** The string form "git push --force* origin": command, then operands in order; words starting with - (or {-) are options. */
export function commandPatternFromString(text: string): CommandPatternObject {
  const words = text.trim().split(/\s+/);
  const [command, ...rest] = words as [string, ...string[]];
  const args: string[] = [];
  const flags: string[][] = [];
  for (const w of rest) {
    if ((w.startsWith('-') && w.length > 1) || w.startsWith('{-')) flags.push([w]);
    else args.push(w);
  }
  return { command, args, flags };
}

function compileCommand(pattern: CommandPattern): CommandTest {
  const p = typeof pattern === 'string' ? commandPatternFromString(pattern) : pattern;
  const name = compileWildcards(p.command);
  const args = (p.args ?? []).map((a) => compileWildcards(a));
  const flags = (p.flags ?? []).map((f) => compileWildcards(f));
  const without = p.withoutFlags?.length ? compileWildcards(p.withoutFlags) : null;
  const anyArg = p.anyArg ? compileWildcards(p.anyArg) : null;
  const argPaths = p.argPaths ? compilePaths(p.argPaths) : null;
  const via = p.via ? compileWildcards(p.via) : null;
  const pipedFrom = p.pipedFrom ? compileCommand(p.pipedFrom) : null;
  const readOnly = p.readOnly === true;
  return (c, env) => {
    if (!name(c.name)) return false;
    if (readOnly && !c.readOnly) return false;
    if (args.length > c.operands.length || !args.every((m, i) => m(c.operands[i]!))) return false;
    if (!flags.every((m) => c.flags.some(m))) return false;
    if (without && c.flags.some(without)) return false;
    if (anyArg && !c.operands.some(anyArg)) return false;
    if (via && !c.via.some(via)) return false;
    if (pipedFrom && !c.pipedFrom.some((f) => pipedFrom(f, env))) return false;
    if (argPaths) {
      const at = { dirs: c.dirs, dirUnknown: c.dirUnknown };
      const refs: PathRef[] = c.operands.filter((o) => !c.code.includes(o)).map((o) => ({ path: o, access: 'arg', ...at }));
      if (c.moreArgsUnknown) refs.push({ path: '$(unknown)', access: 'arg', ...at });
      if (!refs.some((r) => argPaths(r, env))) return false;
    }
    return true;
  };
}

function unitPaths(unit: Unit): readonly PathRef[] {
  return unit.kind === 'path' ? [unit.path] : unit.kind === 'command' ? unit.paths : [];
}

function unitUrls(unit: Unit): readonly UrlRef[] {
  return unit.kind === 'url' ? [unit.url] : unit.kind === 'command' ? unit.urls : [];
}

function compileRule(rule: PolicyRule): CompiledRule {
  const tests: UnitTest[] = [];
  const a = rule.agent;
  if (a) {
    const fields: [keyof typeof a, Matcher][] = [];
    for (const key of ['id', 'name', 'kind', 'group', 'sessionId'] as const) {
      const globs = a[key];
      if (globs !== undefined) fields.push([key, compileWildcards(globs)]);
    }
    tests.push((_u, env) => fields.every(([key, m]) => {
      const value = env.request.agent[key];
      return value !== undefined && m(value);
    }));
  }
  if (rule.tool !== undefined) {
    const m = compileWildcards(rule.tool);
    tests.push((_u, env) => m(env.request.tool));
  }
  if (rule.mcp) {
    const server = rule.mcp.server ? compileWildcards(rule.mcp.server) : null;
    const tool = rule.mcp.tool ? compileWildcards(rule.mcp.tool) : null;
    tests.push((_u, env) => {
      const mcp = env.facts.mcp;
      return mcp !== null && (!server || server(mcp.server)) && (!tool || tool(mcp.tool));
    });
  }
  if (rule.commandLine !== undefined) {
    const line = rule.commandLine;
    // Computed on first use: a policy may be compiled before the shell parser has loaded.
    let canonical: string | null | undefined;
    tests.push((_u, env) => {
      if (canonical === undefined && shellParserReady()) canonical = canonicalCommandLine(line);
      return typeof canonical === 'string' && env.facts.commandLine === canonical;
    });
  }
  if (rule.command !== undefined) {
    const commands = list(rule.command).map(compileCommand);
    tests.push((u, env) => u.kind === 'command' && commands.some((t) => t(u.command, env)));
  }
  if (rule.path !== undefined) {
    const paths = compilePaths(rule.path);
    const access = rule.access;
    tests.push((u, env) => unitPaths(u).some((ref) => (!access || ref.access === access) && paths(ref, env)));
  } else if (rule.access !== undefined) {
    const access = rule.access;
    tests.push((u) => unitPaths(u).some((ref) => ref.access === access));
  }
  if (rule.url !== undefined) {
    const urls = list(rule.url).map(compileUrl);
    tests.push((u) => unitUrls(u).some((ref) => urls.some((t) => t(ref))));
  }
  const has = (key: keyof PolicyRule): boolean => rule[key] !== undefined;
  const identifiesCommand = has('command') || has('commandLine') || (has('tool') && !has('path') && !has('url') && !has('access'));
  const identifiesPath = has('tool') || has('path');
  const identifiesUrl = has('tool') || has('url');
  const identifiesTool = has('tool') || has('mcp');
  return {
    rule,
    id: rule.id,
    tier: rule.tier,
    override: rule.override === true,
    test: (unit, env) => tests.every((t) => t(unit, env)),
    identifies: (unit) =>
      unit.kind === 'command' ? identifiesCommand
      : unit.kind === 'path' ? identifiesPath
      : unit.kind === 'url' ? identifiesUrl
      : unit.kind === 'tool' ? identifiesTool
      : false,
  };
}

/** Compiles a (merged) policy. Disabled rules (`enabled: false`) are dropped here. */
export function compilePolicy(policy: PolicyFile): CompiledPolicy {
  return {
    compiled: true,
    rules: (policy.rules ?? []).filter((r) => r.enabled !== false).map(compileRule),
    defaultTier: policy.defaultTier ?? 'approve',
    source: policy,
  };
}
