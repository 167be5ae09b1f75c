// The terminal host in a real extension host: it reports facts, never statuses — the agent's command exiting (with
// its code, through shell integration), a prompt only the user can answer (read from the command's output, escape
// sequences and all), the terminal closed by someone else — and Stop ends the command and closes the terminal.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AgentSignal } from '../../../src/core/agents/agentSignal';
import { Fleet } from '../../../src/core/fleet/fleet';
import type { Logger } from '../../../src/core/log';
import { AgentTerminals } from '../../../src/vscode/agentTerminals';

const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

async function until<T>(what: string, get: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('agent terminals (terminal host)', function () {
  this.timeout(60_000);
  let fleet: Fleet;
  let facts: { agentId: string; signal: AgentSignal; at: number }[];
  let terminals: AgentTerminals;

  beforeEach(() => {
    fleet = new Fleet({ loadAgents: () => [], saveAgent: () => undefined, deleteAgent: () => undefined }, quiet);
    facts = [];
    terminals = new AgentTerminals({ fleet, facts: { signal: (agentId, signal) => facts.push({ agentId, signal, at: Date.now() }) }, log: quiet, isLocal: () => true, stopGraceMs: 1500 });
  });
  afterEach(() => {
    terminals.dispose();
    fleet.dispose();
  });

  const start = (name: string, commandLine: string, prompts?: { pattern: RegExp; reason: string }[]) => {
    const { agent } = fleet.create({ name, kind: 'custom', cwd: process.cwd(), command: commandLine });
    const terminal = terminals.start(agent, { commandLine, env: {}, cwd: process.cwd(), terminalPrompts: prompts });
    return { agent, terminal };
  };
  const factOf = (agentId: string, type: AgentSignal['type']) => facts.find((f) => f.agentId === agentId && f.signal.type === type);

  it('reports the command exiting with its code, and changes no status itself', async () => {
    const { agent, terminal } = start('exits', `sh -c 'exit 3' # exits`);
    const fact = await until('the process fact', () => factOf(agent.id, 'process'));
    assert.deepEqual({ ...fact.signal, detail: undefined }, { type: 'process', phase: 'exited', exitCode: 3, detail: undefined });
    assert.equal(fleet.get(agent.id)?.status, 'starting', 'the core decides the status, not the terminal host');
    terminal.dispose();
  });

  it('sees a trust prompt in the output within 5 s (escape sequences in between) and offers the terminal', async () => {
    const printed = `printf 'Welcome\\033[1m Do you\\033[1Ctrust the files in this folder?\\033[0m\\n'; sleep 30 # prompt`;
    const { agent } = start('prompt', printed, [{ pattern: /Do you trust the files in this folder\?/, reason: 'trust dialog' }]);
    const started = Date.now();
    const fact = await until('the waiting fact', () => factOf(agent.id, 'waiting'));
    assert.deepEqual(fact.signal, { type: 'waiting', for: 'terminal', detail: 'trust dialog' });
    assert.ok(fact.at - started < 5000, `seen after ${fact.at - started} ms`);
    // Stop: Ctrl-C ends the command, then the terminal closes.
    const closed = new Promise<void>((resolve) => vscode.window.onDidCloseTerminal(() => resolve()));
    await terminals.stop(agent.id, 'test');
    await closed;
    assert.equal(terminals.has(agent.id), false);
  });

  it('reports a terminal closed by someone else as the process exiting', async () => {
    // Close it once the agent's command runs, not while the shell is still starting: a shell killed inside its rc
    // files can leave their locks behind (pyenv's rehash lock made every later shell on the machine wait 60 s).
    // (The start event comes from the main thread later, so subscribing right after start() misses nothing.)
    const { agent, terminal } = start('closed', 'sleep 30 # closed');
    await new Promise<void>((resolve) => {
      const sub = vscode.window.onDidStartTerminalShellExecution((e) => {
        if (e.terminal === terminal && e.execution.commandLine.value.includes('# closed')) {
          sub.dispose();
          resolve();
        }
      });
    });
    terminal.dispose();
    const fact = await until('the process fact', () => factOf(agent.id, 'process'));
    assert.equal(fact.signal.type === 'process' && fact.signal.detail, 'Its terminal was closed.');
  });
});
