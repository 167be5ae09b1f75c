// `flotilla policy check`: judges one tool call with the policy Flotilla would apply (the shipped default and floor,
// the user's policy, the workspace's `.flotilla/policy.json` as trusted) and prints the verdict as JSON; the exit
// code is the tier, so a CI job can assert that its policy still asks for what it must.
import * as fs from 'node:fs';
import type { PolicyFile, PolicyTier } from '../shared/policy';
import { compilePolicy } from '../core/policy/compilePolicy';
import { composePolicy } from '../core/policy/composePolicy';
import { evaluate } from '../core/policy/evaluate';
import { formatPolicyError, loadPolicyFile } from '../core/policy/loadPolicy';
import { initShellParser, shellParserReady } from '../core/policy/shellParser';
import { parseShell } from '../core/policy/shellParse';
import { parseToolCall, policyRequest } from './toolCallInput';
import type { ToolCall } from './toolCallInput';

/** Exit codes: the tier's rank, or 64 for bad usage or input (EX_USAGE), 70 when the check itself failed. */
export const EXIT: Readonly<Record<PolicyTier, number>> & { usage: 64; internal: 70 } = {
  autonomous: 0,
  notify: 1,
  approve: 2,
  prohibited: 3,
  usage: 64,
  internal: 70,
};

export interface PolicyCheckOptions {
  /** A JSON tool call from a file (`-` or absent: stdin) ... */
  readonly inputFile?: string;
  /** ... or a Bash command line (with cwd). */
  readonly bash?: string;
  readonly cwd: string;
  /** The workspace policy (`.flotilla/policy.json`), treated as trusted. */
  readonly policyFile?: string;
  /** The user's policy (what the `flotilla.policy` user setting holds), as a JSON file. */
  readonly userPolicyFile?: string;
  /** Home directory for ~ and $HOME in paths (default: the user's). */
  readonly home?: string;
}

export interface PolicyCheckIo {
  readStdin(): Promise<string>;
  readonly stdinIsTty: boolean;
}

export interface PolicyCheckVerdict {
  readonly tier: PolicyTier;
  readonly rule: string | null;
  readonly ruleDescription: string;
  readonly reason: string;
  readonly matched: unknown;
  /** Why parts of a shell command may do more than they seem to (from the shell analysis). */
  readonly hazards?: readonly string[];
  /** Loosened protected rules (user policy) and workspace entries that were ignored. */
  readonly warnings: readonly string[];
}

export type PolicyCheckOutcome = { ok: true; verdict: PolicyCheckVerdict; exitCode: number } | { ok: false; error: string; exitCode: number };

class UsageError extends Error {}

function readPolicy(file: string, label: string): PolicyFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${label} ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const loaded = loadPolicyFile(text, file);
  if (!loaded.ok) throw new UsageError(`${label}: ${loaded.errors.map(formatPolicyError).join('; ')}`);
  return loaded.policy;
}

async function readToolCall(options: PolicyCheckOptions, io: PolicyCheckIo): Promise<ToolCall> {
  if (options.bash !== undefined) {
    if (options.inputFile !== undefined) throw new UsageError('give either --bash or --input, not both');
    const parsed = parseToolCall(JSON.stringify({ tool: 'Bash', input: { command: options.bash }, cwd: options.cwd }), '--bash');
    if (!parsed.ok) throw new UsageError(parsed.error);
    return parsed.call;
  }
  let text: string;
  let source: string;
  if (options.inputFile !== undefined && options.inputFile !== '-') {
    source = options.inputFile;
    try {
      text = fs.readFileSync(options.inputFile, 'utf8');
    } catch (err) {
      throw new UsageError(`--input ${options.inputFile}: ${err instanceof Error ? err.message : String(err)}`);
    }
  } else {
    if (io.stdinIsTty && options.inputFile === undefined) throw new UsageError('no tool call: pipe its JSON to stdin, or give --input FILE or --bash "<command>"');
    source = 'stdin';
    text = await io.readStdin();
  }
  const parsed = parseToolCall(text, source);
  if (!parsed.ok) throw new UsageError(parsed.error);
  return parsed.call;
}

/** Hazards and unmodeled syntax the shell analysis reports for a Bash call (empty for anything else). */
function shellHazards(call: ToolCall): string[] {
  const command = (call.input as { command?: unknown } | null)?.command;
  if (call.tool !== 'Bash' || typeof command !== 'string') return [];
  const parsed = parseShell(command);
  if (!parsed.ok) return [`not understood: ${parsed.error}`];
  const out: string[] = [];
  // `hazards` and `unmodeled` come with the tree-sitter analysis; read defensively so an older parse shape still works.
  for (const c of parsed.commands) for (const h of (c as { hazards?: readonly string[] }).hazards ?? []) out.push(`${c.text}: ${h}`);
  for (const u of (parsed as { unmodeled?: readonly string[] }).unmodeled ?? []) out.push(`unmodeled syntax: ${u}`);
  return [...new Set(out)];
}

/** Runs the check; never throws (a failure is an outcome with its exit code). */
export async function policyCheck(options: PolicyCheckOptions, io: PolicyCheckIo): Promise<PolicyCheckOutcome> {
  try {
    const call = await readToolCall(options, io);
    const workspace = options.policyFile !== undefined ? readPolicy(options.policyFile, '--policy') : undefined;
    const user = options.userPolicyFile !== undefined ? readPolicy(options.userPolicyFile, '--user-policy') : undefined;
    try {
      await initShellParser();
    } catch (err) {
      return { ok: false, error: `the Bash grammar could not be loaded: ${err instanceof Error ? err.message : String(err)}`, exitCode: EXIT.internal };
    }
    if (!shellParserReady()) return { ok: false, error: 'the Bash grammar could not be loaded', exitCode: EXIT.internal };
    const composed = composePolicy({ user, workspace, workspaceTrusted: true });
    const decision = evaluate(policyRequest(call), compilePolicy(composed.policy), options.home !== undefined ? { homeDir: options.home } : {});
    const hazards = shellHazards(call);
    const verdict: PolicyCheckVerdict = {
      tier: decision.tier,
      rule: decision.ruleId,
      ruleDescription: decision.ruleDescription,
      reason: decision.reason,
      matched: decision.matched,
      ...(hazards.length ? { hazards } : {}),
      warnings: [...composed.warnings, ...composed.ignored.map((i) => `ignored: ${i}`)],
    };
    return { ok: true, verdict, exitCode: EXIT[decision.tier] };
  } catch (err) {
    if (err instanceof UsageError) return { ok: false, error: err.message, exitCode: EXIT.usage };
    return { ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err), exitCode: EXIT.internal };
  }
}
