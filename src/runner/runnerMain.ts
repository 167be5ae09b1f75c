// `flotilla-agent` (bundled to dist/runner.js, runs on plain Node >= 20): serve | run | ls | stop. Also Claude Code's
// command hook for events without http hooks (`flotilla-agent --timeout N`, payload on stdin), so the runner needs
// no other file beside it.
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { runHookProgram } from '../adapters/claudeCode/hookForwarder';
import { localRequest } from './localClient';
import { parseBudget } from './runRequest';
import { serve } from './runnerServe';
import type { RunnerAgent } from '../shared/protocol/runner';

const USAGE = `usage:
  flotilla-agent serve [--listen HOST:PORT] [--token-file F] [--tls-cert F --tls-key F] [--state-dir D]
  flotilla-agent run --name N [--group G] [--budget usd=5,tokens=2000000,minutes=30] [--worktree] [--cwd D] -- <agent command...>
  flotilla-agent ls
  flotilla-agent stop NAME
(state folder: --state-dir, else $FLOTILLA_AGENT_HOME, else ~/.flotilla-agent; the token file is <state>/token)`;

export const DEFAULT_PORT = 7311;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--timeout' || argv[0] === '--path') {
    await runHookProgram({
      stdin: process.stdin,
      env: process.env,
      argv,
      writeStdout: (t) => new Promise((r) => process.stdout.write(t, () => r())),
      writeStderr: (t) => new Promise((r) => process.stderr.write(t, () => r())),
    });
    return 0;
  }
  const [command, ...rest] = argv;
  const dash = rest.indexOf('--');
  const own = dash === -1 ? rest : rest.slice(0, dash);
  const agentCommand = dash === -1 ? [] : rest.slice(dash + 1);
  const { values, positionals } = parseArgs({
    args: own,
    allowPositionals: true,
    options: {
      listen: { type: 'string' },
      'token-file': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'state-dir': { type: 'string' },
      insecure: { type: 'boolean' },
      pipes: { type: 'boolean' },
      name: { type: 'string' },
      group: { type: 'string' },
      budget: { type: 'string' },
      worktree: { type: 'boolean' },
      cwd: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const stateDir = path.resolve(values['state-dir'] ?? process.env.FLOTILLA_AGENT_HOME ?? path.join(os.homedir(), '.flotilla-agent'));
  const tokenFile = path.resolve(values['token-file'] ?? path.join(stateDir, 'token'));
  const target = { stateDir, tokenFile };
  if (values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  switch (command) {
    case 'serve': {
      const listen = values.listen ?? `127.0.0.1:${DEFAULT_PORT}`;
      const match = /^(.*):(\d+)$/.exec(listen);
      if (!match) throw new Error(`--listen ${listen}: expected HOST:PORT`);
      if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) throw new Error('--tls-cert and --tls-key go together');
      const server = await serve({
        stateDir,
        tokenFile,
        listenHost: match[1]!.replace(/^\[|\]$/g, ''),
        listenPort: Number(match[2]),
        ...(values['tls-cert'] ? { tls: { certFile: values['tls-cert'], keyFile: values['tls-key']! } } : {}),
        ...(values.insecure ? { insecure: true } : {}),
        ...(values.pipes ? { pipesOnly: true } : {}),
        selfScript: __filename,
        out: (line) => console.log(line),
      });
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      server.dispose();
      return 0;
    }
    case 'run': {
      if (!values.name) throw new Error('run: --name is required');
      if (agentCommand.length === 0) throw new Error('run: the agent command goes after --, e.g. flotilla-agent run --name fix -- claude "fix the tests"');
      const result = await localRequest(target, 'POST', '/local/agents', {
        name: values.name,
        ...(values.group ? { group: values.group } : {}),
        ...(values.budget ? { budget: parseBudget(values.budget) } : {}),
        worktree: values.worktree ?? false,
        cwd: path.resolve(values.cwd ?? process.cwd()),
        command: agentCommand,
      });
      return report(result, (body) => {
        const b = body as { name: string; pid?: number; mode?: string; cwd: string };
        return `started ${b.name} (pid ${b.pid ?? '?'}, ${b.mode ?? '?'}) in ${b.cwd}`;
      });
    }
    case 'ls': {
      const result = await localRequest(target, 'GET', '/local/agents');
      return report(result, (body) => {
        const agents = (body as { agents: RunnerAgent[] }).agents;
        if (agents.length === 0) return 'no agents';
        return agents.map((a) => `${a.name}\t${a.running ? 'running' : 'ended'}\t${a.kind}\t${a.unacked} unacked\t${a.cwd}`).join('\n');
      });
    }
    case 'stop': {
      const name = positionals[0];
      if (!name) throw new Error('stop: which agent? flotilla-agent stop NAME');
      const result = await localRequest(target, 'POST', `/local/agents/${encodeURIComponent(name)}/stop`);
      return report(result, () => `stopping ${name}`);
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

function report(result: { status: number; body: unknown }, ok: (body: unknown) => string): number {
  if (result.status === 200) {
    console.log(ok(result.body));
    return 0;
  }
  const error = (result.body as { error?: string } | undefined)?.error ?? JSON.stringify(result.body);
  console.error(`flotilla-agent: ${error}`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (process.argv[2] !== 'serve') process.exit(code);
    process.exit(code);
  },
  (err: unknown) => {
    console.error(`flotilla-agent: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
