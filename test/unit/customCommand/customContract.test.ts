// The custom command adapter through the shared contract suite: the plan's command line really runs (POSIX sh, the
// agent's cwd and environment, as the terminal host runs it) and its exit is reported through ctx.host, the way the
// terminal host reports `process exited`. Flotilla knows nothing else of a custom command.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomCommandAdapter } from '../../../src/adapters/customCommand/customCommandAdapter';
import { adapterContract } from '../../kit/adapterContract';
import type { ContractAgent, ContractContext } from '../../kit/adapterContract';

function runCommand(adapter: CustomCommandAdapter, ctx: ContractContext) {
  return {
    async playSession(a: ContractAgent): Promise<void> {
      const out = `out-${a.agent.id}.txt`;
      const plan = await adapter.plan({
        agent: a.agent,
        token: a.token,
        bridgeUrl: ctx.bridgeUrl,
        command: `printf '%s %s' "$FLOTILLA_AGENT_ID" "$FLOTILLA_BRIDGE_URL" > ${out}`,
        stateDir: ctx.dir,
        hookProgram: '',
        approvalTimeoutSeconds: 60,
        userEnv: {},
      });
      const exitCode = await new Promise<number | null>((resolve, reject) => {
        const child = spawn('/bin/sh', ['-c', plan.commandLine], { cwd: plan.cwd, env: { ...process.env, ...plan.env }, stdio: 'ignore' });
        child.on('error', reject);
        child.on('exit', resolve);
      });
      assert.equal(readFileSync(join(a.agent.cwd, out), 'utf8'), `${a.agent.id} ${ctx.bridgeUrl}`, 'the command ran in the agent cwd with its variables');
      try {
        ctx.host.signal(a.agent.id, { type: 'process', phase: 'exited', ...(exitCode !== null ? { exitCode } : {}) });
      } catch {
        // The kit's throwing sink (containment): a host's report is never the agent's failure.
      }
    },
  };
}

adapterContract('Custom command', (ctx) => {
  const adapter = new CustomCommandAdapter();
  return { adapter, driver: runCommand(adapter, ctx), expectTools: false, expectSession: false, endsWithProcessExit: true };
});
