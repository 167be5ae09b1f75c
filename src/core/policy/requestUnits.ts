// Splits a tool request into the units a policy judges one by one: each simple command of a shell line, each
// file a file tool touches, the URL of a fetch, or the tool call itself. Tool inputs are untrusted JSON:
// they are checked with zod, and an input we cannot read becomes an `unreadable` unit (approve at least).
import { z } from 'zod';
import { quote } from 'shell-quote';
import type { PolicyRequest } from '../../shared/policy';
import { writesOperands } from './programs/writers';
import { parseShell } from './shellParse';
import type { ShellCommand } from './shellParse';

/** Tool names whose input is a shell command line (Claude Code, Codex and friends). */
export const SHELL_TOOLS: readonly string[] = ['Bash', 'shell', 'local_shell', 'exec_command', 'run_shell_command'];
/** Tools that write the file(s) named in their input. */
export const WRITE_TOOLS: readonly string[] = ['Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'apply_patch', 'write_file', 'replace'];
/** Tools that only read the path named in their input (or the cwd). */
export const READ_TOOLS: readonly string[] = ['Read', 'NotebookRead', 'Glob', 'Grep', 'LS', 'read_file', 'list_directory', 'search_file_content', 'glob'];
/** Tools that fetch a URL. */
export const FETCH_TOOLS: readonly string[] = ['WebFetch', 'web_fetch'];

export type PathAccess = 'read' | 'write' | 'arg';

export interface PathRef {
  path: string;
  access: PathAccess;
  dirs?: readonly string[];
  dirUnknown?: boolean;
}

export interface UrlRef {
  raw: string;
  url: URL | null;
}

export type Unit =
  | { kind: 'command'; command: ShellCommand; paths: PathRef[]; urls: UrlRef[] }
  | { kind: 'path'; path: PathRef }
  | { kind: 'url'; url: UrlRef }
  | { kind: 'tool' }
  | { kind: 'unreadable'; subject: string; error: string; /** It parsed, but uses syntax the policy does not model. */ unmodeled?: true };

export interface RequestUnits {
  units: Unit[];
  /** Canonical shell line, for `commandLine` rules. */
  commandLine: string | null;
  mcp: { server: string; tool: string } | null;
}

const NOT_FILES = /^\/dev\/(null|zero|stdin|stdout|stderr|tty|fd\/\d+|urandom|random)$/;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

const ShellInput = z.looseObject({ command: z.union([z.string(), z.array(z.string()).min(1)]) });
const FileInput = z.looseObject({
  pattern: z.string().optional(),
  file_path: z.string().min(1).optional(),
  notebook_path: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  absolute_path: z.string().min(1).optional(),
});
const PatchInput = z.looseObject({ input: z.string().optional(), patch: z.string().optional() });
const FetchInput = z.looseObject({ url: z.string().min(1) });

function describeIssue(tool: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const at = issue && issue.path.length ? `input.${issue.path.join('.')}` : 'input';
  return `${tool} ${at}: ${issue?.message ?? 'invalid'}`;
}

export function parseUrl(raw: string): UrlRef {
  try {
    return { raw, url: new URL(raw) };
  } catch {
    return { raw, url: null };
  }
}

/** File paths named by a Codex-style patch ("*** Update File: src/a.ts"). */
export function patchPaths(patch: string): string[] {
  const out: string[] = [];
  for (const m of patch.matchAll(/^\*\*\* (?:Add|Update|Delete) File: (.+)$|^\*\*\* Move to: (.+)$/gm)) out.push((m[1] ?? m[2]!).trim());
  return out;
}

function commandUnit(command: ShellCommand): Unit {
  const paths: PathRef[] = [];
  const urls: UrlRef[] = [];
  const at = { dirs: command.dirs, dirUnknown: command.dirUnknown };
  const isFile = (p: string): boolean => p !== '-' && p !== '' && !NOT_FILES.test(p);
  const globDir = (p: string): { dirUnknown?: true } => (GLOB_IN_DIR.test(p) ? { dirUnknown: true } : {});
  for (const r of command.redirects) if (isFile(r.target)) paths.push({ path: r.target, access: r.access, ...at, ...(r.access === 'write' ? globDir(r.target) : {}) });
  // Every file the program writes, named or not: path rules and protected paths judge writes by these.
  const writes = new Set(command.writes.filter(isFile));
  for (const w of writes) paths.push({ path: w, access: 'write', ...at, ...globDir(w) });
  if (command.moreArgsUnknown && writesOperands(command.name)) paths.push({ path: '$(unknown)', access: 'write', ...at });
  for (const operand of command.operands) {
    if (URL_LIKE.test(operand)) urls.push(parseUrl(operand));
    else if (isFile(operand) && !writes.has(operand) && !command.code.includes(operand)) paths.push({ path: operand, access: 'arg', ...at });
  }
  return { kind: 'command', command, paths, urls };
}

/** Syntax the policy does not model becomes one unit a human must look at; its commands are still judged. */
function unmodeledUnit(line: string, unmodeled: readonly string[]): Unit {
  return { kind: 'unreadable', subject: line, error: unmodeled.join('; '), unmodeled: true };
}

function shellUnits(tool: string, input: unknown): Pick<RequestUnits, 'units' | 'commandLine'> {
  const parsed = ShellInput.safeParse(input);
  if (!parsed.success) return { units: [{ kind: 'unreadable', subject: tool, error: describeIssue(tool, parsed.error) }], commandLine: null };
  const line = typeof parsed.data.command === 'string' ? parsed.data.command : quote(parsed.data.command);
  const shell = parseShell(line);
  if (!shell.ok) return { units: [{ kind: 'unreadable', subject: line, error: shell.error }], commandLine: null };
  const units = shell.commands.map(commandUnit);
  // First, so that among equally strict units the decision names what the policy could not model.
  if (shell.unmodeled.length) units.unshift(unmodeledUnit(line, shell.unmodeled));
  return { units: units.length ? units : [{ kind: 'tool' }], commandLine: shell.canonical };
}

function fileUnits(tool: string, input: unknown, access: 'read' | 'write'): Unit[] {
  if (tool === 'apply_patch') {
    const parsed = PatchInput.safeParse(input);
    const patch = parsed.success ? (parsed.data.input ?? parsed.data.patch) : undefined;
    const paths = patch ? patchPaths(patch) : [];
    if (!paths.length) return [{ kind: 'unreadable', subject: tool, error: `${tool} input: no file named in the patch` }];
    return paths.map((p) => ({ kind: 'path', path: { path: p, access } }));
  }
  const parsed = FileInput.safeParse(input);
  if (!parsed.success) return [{ kind: 'unreadable', subject: tool, error: describeIssue(tool, parsed.error) }];
  const d = parsed.data;
  const target = d.file_path ?? d.notebook_path ?? d.absolute_path ?? d.path;
  const units: Unit[] = [];
  // A glob pattern that starts at an absolute or home path searches there, wherever `path` points.
  if (access === 'read' && d.pattern !== undefined && /^(\/|~|\$HOME)/.test(d.pattern)) {
    units.push({ kind: 'path', path: { path: globBase(d.pattern), access } });
  }
  if (target === undefined && units.length) return units;
  // Search tools default to the cwd; a write tool without a path is not something we can judge.
  if (target === undefined) {
    if (access === 'read') return [{ kind: 'path', path: { path: '.', access } }];
    return [{ kind: 'unreadable', subject: tool, error: `${tool} input.file_path: missing` }];
  }
  return [...units, { kind: 'path', path: { path: target, access } }];
}

/** The directory a glob starts from: its segments before the first one with a wildcard. */
function globBase(pattern: string): string {
  const segments = pattern.split('/');
  const first = segments.findIndex((s) => /[*?[{]/.test(s));
  const base = (first < 0 ? segments : segments.slice(0, first)).join('/');
  return base || '/';
}

/** A glob in a directory name (`.cla?de/settings.json`) can reach any directory: where it writes is unknowable. */
const GLOB_IN_DIR = /[*?[][^/]*\//;

export function requestUnits(request: PolicyRequest): RequestUnits {
  const { tool, input } = request;
  const mcpMatch = /^mcp__(.+?)__(.+)$/.exec(tool);
  const mcp = mcpMatch ? { server: mcpMatch[1]!, tool: mcpMatch[2]! } : null;
  if (SHELL_TOOLS.includes(tool)) return { ...shellUnits(tool, input), mcp };
  if (WRITE_TOOLS.includes(tool)) return { units: fileUnits(tool, input, 'write'), commandLine: null, mcp };
  if (READ_TOOLS.includes(tool)) return { units: fileUnits(tool, input, 'read'), commandLine: null, mcp };
  if (FETCH_TOOLS.includes(tool)) {
    const parsed = FetchInput.safeParse(input);
    if (!parsed.success) return { units: [{ kind: 'unreadable', subject: tool, error: describeIssue(tool, parsed.error) }], commandLine: null, mcp };
    const url = parseUrl(parsed.data.url);
    if (!url.url) return { units: [{ kind: 'unreadable', subject: parsed.data.url, error: `${tool} input.url: not a valid URL` }], commandLine: null, mcp };
    return { units: [{ kind: 'url', url }], commandLine: null, mcp };
  }
  return { units: [{ kind: 'tool' }], commandLine: null, mcp };
}
