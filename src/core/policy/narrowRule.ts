// "Always allow this": the narrowest rule that lets exactly this action through again — the same tool, the
// same command line, the same file or URL — for this agent or only this session. It is an override rule, so
// it lowers an `approve` result but can never unlock something prohibited.
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import { quote } from 'shell-quote';
import type { AgentPattern, PolicyRequest, PolicyRule, UrlPattern } from '../../shared/policy';
import { PathResolver } from './pathResolve';
import { requestUnits, SHELL_TOOLS } from './requestUnits';
import type { EvaluateContext } from './evaluate';
import { escapeWildcard } from './wildcard';

export type NarrowScope = 'agent' | 'session';

export interface NarrowOptions extends EvaluateContext {
  /** The tier the rule grants: autonomous (default) or notify. */
  tier?: 'autonomous' | 'notify';
}

/** Escapes picomatch's special characters so a path glob matches only that path. */
export function escapePathGlob(p: string): string {
  return p.replace(/[\\*?[\]{}()!+@|]/g, (c) => `\\${c}`);
}

function agentPattern(request: PolicyRequest, scope: NarrowScope): { agent: AgentPattern; label: string } {
  const a = request.agent;
  if (scope === 'session') {
    const agent: AgentPattern = { id: escapeWildcard(a.id) };
    if (a.sessionId !== undefined) agent.sessionId = escapeWildcard(a.sessionId);
    return { agent, label: `agent "${a.name}" (this session only)` };
  }
  return { agent: { name: escapeWildcard(a.name), kind: escapeWildcard(a.kind) }, label: `agent "${a.name}"` };
}

/**
 * Builds the "always allow this" rule for a request, or null when the request cannot be pinned down
 * (its input could not be read, or a shell command has hazards that always need a human). Session rules are meant to be kept in memory, agent rules in a policy layer.
 */
export function narrowRuleFor(request: PolicyRequest, scope: NarrowScope, options: NarrowOptions = {}): PolicyRule | null {
  const facts = requestUnits(request);
  if (facts.units.some((u) => u.kind === 'unreadable')) return null;
  // A command that may run code or write unseen always goes to a human: no override lowers it, so a rule would
  // only claim to "always allow" what it never can.
  if (facts.units.some((u) => u.kind === 'command' && u.command.hazards.length > 0)) return null;
  const { agent, label } = agentPattern(request, scope);
  const tool = escapeWildcard(request.tool);
  let what: Partial<PolicyRule>;
  let subject: string;
  if (SHELL_TOOLS.includes(request.tool)) {
    const raw = (request.input as { command: string | string[] }).command;
    const line = typeof raw === 'string' ? raw.trim() : quote(raw);
    what = { commandLine: line };
    subject = `run \`${line}\``;
  } else if (facts.units.every((u) => u.kind === 'path')) {
    const resolver = new PathResolver(request.worktreeRoot, request.cwd, options.homeDir ?? os.homedir(), options.realpath);
    const patterns = facts.units.map((u) => {
      const r = resolver.resolve(u.kind === 'path' ? u.path.path : '');
      return r.inside && r.relative ? escapePathGlob(r.relative) : escapePathGlob(r.absolute ?? '');
    });
    what = { path: patterns.length === 1 ? patterns[0]! : patterns };
    subject = `use ${request.tool} on ${facts.units.map((u) => (u.kind === 'path' ? u.path.path : '')).join(', ')}`;
  } else if (facts.units.length === 1 && facts.units[0]!.kind === 'url') {
    const url = facts.units[0]!.url.url!;
    const pattern: UrlPattern = {
      scheme: escapeWildcard(url.protocol.replace(/:$/, '')),
      host: escapeWildcard(url.hostname),
      path: escapeWildcard(url.pathname + url.search),
    };
    what = { url: pattern };
    subject = `fetch ${url.href}`;
  } else {
    what = {};
    subject = `use ${request.tool}`;
  }
  const digest = createHash('sha256').update(JSON.stringify([scope, agent, tool, what])).digest('hex').slice(0, 12);
  return {
    id: `allow.${scope}.${digest}`,
    description: `Always allow ${label} to ${subject}`,
    tier: options.tier ?? 'autonomous',
    override: true,
    agent,
    tool,
    ...what,
  };
}
