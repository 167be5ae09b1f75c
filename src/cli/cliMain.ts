// The `flotilla` command line: parses arguments (node:util parseArgs, strict) and runs a subcommand. Today one:
// `flotilla policy check`. Output: the verdict as JSON on stdout; errors as one line on stderr; exit code by tier.
import { parseArgs } from 'node:util';
import { EXIT, policyCheck } from './policyCheck';
import type { PolicyCheckIo } from './policyCheck';

export const HELP = `Usage: flotilla policy check [options]

Judges one tool call with Flotilla's approval policy and prints the verdict as JSON:
  { "tier", "rule", "ruleDescription", "reason", "matched": {...}, "hazards"?: [...], "warnings": [...] }

The tool call is JSON on stdin (or --input FILE):
  { "tool": "Bash", "input": { "command": "git push --force" }, "cwd": "/abs/dir",
    "agent"?: { "name", "kind", "group" }, "worktreeRoot"?: "/abs/worktree" }
or a Bash command line given with --bash.

Options:
  --input FILE        read the tool call from FILE ("-": stdin)
  --bash COMMAND      judge a Bash command line run in --cwd
  --cwd DIR           working directory for --bash (default: the current one)
  --policy FILE       the workspace policy (.flotilla/policy.json), applied as in a trusted workspace
  --user-policy FILE  the user's policy (the flotilla.policy user setting, as JSON)
  --home DIR          home directory for ~ and $HOME (default: yours)
  -h, --help          show this help

The shipped default policy and its protected floor always apply; a workspace policy may add and tighten rules.

Exit code: 0 autonomous, 1 notify, 2 approve, 3 prohibited, 64 bad usage or input, 70 the check itself failed.
`;

export interface CliIo extends PolicyCheckIo {
  readonly cwd: string;
  writeStdout(text: string): Promise<void>;
  writeStderr(text: string): Promise<void>;
}

async function usage(io: CliIo, message: string): Promise<number> {
  await io.writeStderr(`flotilla: ${message}\nRun "flotilla policy check --help" for usage.\n`);
  return EXIT.usage;
}

/** Runs `flotilla <argv>`; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        input: { type: 'string' },
        bash: { type: 'string' },
        cwd: { type: 'string' },
        policy: { type: 'string' },
        'user-policy': { type: 'string' },
        home: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usage(io, err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    await io.writeStdout(HELP);
    return 0;
  }
  if (positionals.length === 0) return usage(io, 'missing command: try "flotilla policy check"');
  if (positionals[0] !== 'policy' || positionals[1] !== 'check' || positionals.length > 2) {
    return usage(io, `unknown command "${positionals.join(' ')}": the only command is "policy check"`);
  }
  const outcome = await policyCheck(
    {
      cwd: values.cwd ?? io.cwd,
      ...(values.input !== undefined ? { inputFile: values.input } : {}),
      ...(values.bash !== undefined ? { bash: values.bash } : {}),
      ...(values.policy !== undefined ? { policyFile: values.policy } : {}),
      ...(values['user-policy'] !== undefined ? { userPolicyFile: values['user-policy'] } : {}),
      ...(values.home !== undefined ? { home: values.home } : {}),
    },
    io,
  );
  if (!outcome.ok) {
    await io.writeStderr(`flotilla policy check: ${outcome.error}\n`);
    return outcome.exitCode;
  }
  await io.writeStdout(`${JSON.stringify(outcome.verdict, null, 2)}\n`);
  return outcome.exitCode;
}
