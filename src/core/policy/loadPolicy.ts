// Reads policy layers and merges them. `.flotilla/policy.json` errors carry line/column of the offending JSON
// node ("policy.json:12:5 rules[3].tier: expected one of ..."). In mergePolicies a later layer adds rules,
// replaces an earlier rule with the same id, switches earlier rules off with `disable: ["id", "default.*"]`
// (or `enabled: false` on a same-id rule) and may change `defaultTier`. Which layers may do what (the floor,
// workspace trust) is composePolicy's job; it uses mergePolicies for the part each layer is allowed.
import type { z } from 'zod';
import { PolicyFileSchema, PolicyRulesSchema } from '../../shared/policy';
import type { PolicyFile, PolicyRule } from '../../shared/policy';
import { lineColumn, nodeAt, parseJsonWithPositions } from './jsonPositions';
import { canonicalCommandLine } from './shellParse';
import { compileWildcards } from './wildcard';

export interface PolicyLoadError {
  message: string;
  /** 1-based; 0 when the policy did not come from a text file (settings). */
  line: number;
  column: number;
  /** Where in the document: "rules[3].tier" ("" for the document itself). */
  path: string;
  /** The file name given to loadPolicyFile, or "settings". */
  file: string;
}

export type PolicyLoadResult = { ok: true; policy: PolicyFile } | { ok: false; errors: PolicyLoadError[] };

type Issue = z.core.$ZodIssue;
type Key = PropertyKey;

export function formatPath(path: readonly Key[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(String(key))) out += out ? `.${String(key)}` : String(key);
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** "policy.json:12:5 rules[3].tier: expected one of ..." */
export function formatPolicyError(error: PolicyLoadError): string {
  const where = error.line ? `${error.file}:${error.line}:${error.column}` : error.file;
  return `${where} ${error.path ? `${error.path}: ` : ''}${error.message}`;
}

function cleanMessage(message: string): string {
  return message.replace(/^Invalid (?:option|input): /, '');
}

function expectedTypes(issues: readonly Issue[]): string[] {
  const out: string[] = [];
  for (const i of issues) {
    if (i.code === 'invalid_type' && i.path.length === 0) out.push(String(i.expected));
    else if (i.code === 'invalid_union' && i.path.length === 0) for (const b of i.errors) out.push(...expectedTypes(b));
  }
  return out;
}

/** Flattens zod issues; for a union, keeps the branch whose shape the input had (an object got object errors). */
function flatten(issue: Issue, base: readonly Key[]): { path: Key[]; message: string }[] {
  const path = [...base, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length) {
    const typeOnly = (b: readonly Issue[]): boolean =>
      b.every((i) => (i.code === 'invalid_type' && i.path.length === 0) || (i.code === 'invalid_union' && i.path.length === 0 && i.errors.every(typeOnly)));
    const relevant = issue.errors.filter((b) => !typeOnly(b));
    if (relevant.length) {
      const best = relevant.reduce((a, b) => (b.length < a.length ? b : a));
      return best.flatMap((i) => flatten(i, path));
    }
    const expected = [...new Set(issue.errors.flatMap(expectedTypes))];
    const list = expected.length > 1 ? `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}` : expected[0] ?? 'another value';
    return [{ path, message: `expected ${list}` }];
  }
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...path, key], message: `unknown property "${key}"` }));
  }
  return [{ path, message: cleanMessage(issue.message) }];
}

/** Checks that zod cannot do: every commandLine must itself parse. */
function semanticErrors(rules: readonly PolicyRule[], prefix: Key[]): { path: Key[]; message: string }[] {
  const out: { path: Key[]; message: string }[] = [];
  rules.forEach((rule, index) => {
    if (rule.commandLine !== undefined && canonicalCommandLine(rule.commandLine) === null) {
      out.push({ path: [...prefix, index, 'commandLine'], message: 'this command line cannot be parsed' });
    }
  });
  return out;
}

function validate(value: unknown): { policy?: PolicyFile; errors: { path: Key[]; message: string }[] } {
  if (Array.isArray(value)) {
    const r = PolicyRulesSchema.safeParse(value);
    if (!r.success) return { errors: r.error.issues.flatMap((i) => flatten(i, [])) };
    return { policy: { rules: r.data }, errors: semanticErrors(r.data, []) };
  }
  const r = PolicyFileSchema.safeParse(value);
  if (!r.success) return { errors: r.error.issues.flatMap((i) => flatten(i, [])) };
  return { policy: r.data, errors: semanticErrors(r.data.rules ?? [], ['rules']) };
}

/** Parses `.flotilla/policy.json` (JSON with comments). `fileName` only labels messages. */
export function loadPolicyFile(text: string, fileName: string): PolicyLoadResult {
  const json = parseJsonWithPositions(text);
  if (!json.ok) {
    const { line, column } = lineColumn(text, json.offset);
    return { ok: false, errors: [{ message: `invalid JSON: ${json.message}`, line, column, path: '', file: fileName }] };
  }
  const { policy, errors } = validate(json.value);
  if (errors.length || !policy) {
    return {
      ok: false,
      errors: errors.map((e) => {
        const { node, exact } = nodeAt(json.root, e.path);
        const last = e.path[e.path.length - 1];
        // An unknown property points at its key; a missing one at the object that lacks it.
        const offset = exact && node.keyOffset !== undefined && typeof last === 'string' && e.message.startsWith('unknown property') ? node.keyOffset : node.offset;
        return { message: e.message, ...lineColumn(text, offset), path: formatPath(e.path), file: fileName };
      }),
    };
  }
  return { ok: true, policy };
}

/** Validates the `flotilla.policy` setting: a policy object or a bare array of rules. `file` labels messages. */
export function loadPolicySettings(value: unknown, file = 'settings'): PolicyLoadResult {
  if (value === undefined || value === null) return { ok: true, policy: {} };
  const { policy, errors } = validate(value);
  if (errors.length || !policy) return { ok: false, errors: errors.map((e) => ({ message: e.message, line: 0, column: 0, path: formatPath(e.path), file })) };
  return { ok: true, policy };
}

/** Merges layers, weakest first, each with full power over the earlier ones (composePolicy restricts them). */
export function mergePolicies(...layers: readonly (PolicyFile | undefined)[]): PolicyFile {
  let rules: PolicyRule[] = [];
  let defaultTier: PolicyFile['defaultTier'];
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.disable?.length) {
      const off = compileWildcards(layer.disable);
      rules = rules.filter((r) => !off(r.id));
    }
    for (const rule of layer.rules ?? []) {
      const at = rules.findIndex((r) => r.id === rule.id);
      if (at >= 0) rules[at] = rule;
      else rules.push(rule);
    }
    if (layer.defaultTier) defaultTier = layer.defaultTier;
  }
  return { version: 1, ...(defaultTier ? { defaultTier } : {}), rules };
}
