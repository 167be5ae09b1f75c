// The custom command's plan (the user's command line as typed, Flotilla's variables over the user's) and what its
// adapter reports at attach (running while starting, nothing for an agent found again after a reload).
import assert from 'node:assert/strict';
import { CustomCommandAdapter } from '../../../src/adapters/customCommand/customCommandAdapter';
import type { LaunchSpec } from '../../../src/core/agents/agentAdapter';
import type { AgentSignal } from '../../../src/core/agents/agentSignal';
import type { AgentSignalSink } from '../../../src/core/agents/agentAdapter';
import { DisposableStore } from '../../../src/core/events';
import { newFleet } from '../core/fleetKit';

describe('custom command adapter', () => {
  const adapter = new CustomCommandAdapter();
  const { fleet } = newFleet();
  const { agent, token } = fleet.create({ name: 'job', kind: 'custom', cwd: '/work/repo' });
  const spec = (over: Partial<LaunchSpec> = {}): LaunchSpec => ({
    agent,
    token,
    bridgeUrl: 'http://127.0.0.1:4711',
    command: '  npm run watch -- --port 3000 | tee log.txt ',
    stateDir: '/tmp/state',
    hookProgram: '/ext/dist/hook.js',
    approvalTimeoutSeconds: 60,
    userEnv: { NODE_ENV: 'test', FLOTILLA_AGENT_TOKEN: 'forged', flotilla_bridge_url: 'http://evil' },
    ...over,
  });
  after(() => fleet.dispose());

  it('runs the command line as typed (trimmed) in the agent cwd, with Flotilla variables over the user ones', async () => {
    const plan = await adapter.plan(spec());
    assert.equal(plan.commandLine, 'npm run watch -- --port 3000 | tee log.txt');
    assert.equal(plan.cwd, '/work/repo');
    assert.deepEqual(plan.env, { NODE_ENV: 'test', FLOTILLA_AGENT_ID: agent.id, FLOTILLA_AGENT_TOKEN: token, FLOTILLA_BRIDGE_URL: 'http://127.0.0.1:4711' });
    assert.equal(plan.files, undefined);
  });

  it('rejects (does not throw) without a command line', async () => {
    await assert.rejects(adapter.plan(spec({ command: '   ' })), /needs a command line/);
    await assert.rejects(adapter.plan(spec({ command: undefined })), /needs a command line/);
  });

  it('says honestly what it can do: no approvals, usage or spans; silent while working; asks for a command line', () => {
    assert.deepEqual(adapter.capabilities, {
      blockingApprovals: false,
      usage: 'none',
      spans: false,
      controls: ['stop', 'message'],
      location: 'local',
      silentWhileWorking: true,
      commandLine: true,
    });
  });

  it('reports the agent running when it attaches while starting, and nothing for one found again after a reload', () => {
    const facts: { id: string; s: AgentSignal }[] = [];
    const sink: AgentSignalSink = { signal: (id, s) => void facts.push({ id, s }), approve: () => Promise.reject(new Error('unused')) };
    const scope = new DisposableStore();
    adapter.attach(agent, sink, scope);
    assert.deepEqual(facts, [{ id: agent.id, s: { type: 'turn', phase: 'started' } }]);
    adapter.attach({ ...agent, status: 'working' }, sink, scope);
    adapter.attach({ ...agent, status: 'idle' }, sink, scope);
    assert.equal(facts.length, 1);
    scope.dispose();
  });
});
