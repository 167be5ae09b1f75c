// The contract kit run on the smallest adapter that passes it (a route that turns posted events into facts), so
// the kit itself is proved to pass a good adapter; and a leaky adapter (a timer left running) to prove it can fail.
import assert from 'node:assert/strict';
import type { AgentAdapter, AdapterHost } from '../../../src/core/agents/agentAdapter';
import type { AgentSignal } from '../../../src/core/agents/agentSignal';
import { toDisposable } from '../../../src/core/events';
import { adapterContract } from '../../kit/adapterContract';
import type { ContractAgent } from '../../kit/adapterContract';

const ROUTE = '/hooks/echo';

function echoAdapter(): AgentAdapter {
  let host: AdapterHost | undefined;
  return {
    kind: 'custom',
    label: 'Echo',
    capabilities: { blockingApprovals: true, usage: 'reported', spans: false, controls: [], location: 'local' },
    activate(h) {
      host = h;
      return h.route!(ROUTE, async ({ agent, body }, abort) => {
        const b = body as { fact?: AgentSignal; approve?: string };
        if (b.approve) {
          const verdict = await h.sink.approve(agent.id, { tool: b.approve, input: {}, summary: `${b.approve}: test` }, abort);
          return { status: 200, body: { decision: verdict.decision } };
        }
        if (b.fact) {
          try {
            h.sink.signal(agent.id, b.fact);
          } catch {
            // A sink that throws is the core's bug, not a reason to fail the agent's request.
          }
        }
        return { status: 200, body: {} };
      });
    },
    attach(agent, _sink, scope) {
      // A per-agent timer, released with the scope.
      const t = setInterval(() => host?.log.trace(`echo ${agent.name} alive`), 60_000);
      scope.add(toDisposable(() => clearInterval(t)));
    },
  };
}

async function post(url: string, token: string, body: unknown): Promise<{ decision?: string }> {
  const res = await fetch(url + ROUTE, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  assert.equal(res.status, 200);
  return (await res.json()) as { decision?: string };
}

const action = { tool: 'Bash', input: { command: 'ls' }, summary: 'Bash: ls' };
const SESSION: AgentSignal[] = [
  { type: 'session', phase: 'started', sessionId: 's1' },
  { type: 'turn', phase: 'started' },
  { type: 'tool', phase: 'started', action },
  { type: 'usage', model: 'echo-1', delta: { input: 10, output: 5, cacheRead: 0, cacheWrite: 0 } },
  { type: 'tool', phase: 'ended', action },
  { type: 'turn', phase: 'ended' },
  { type: 'session', phase: 'ended' },
];

adapterContract('Echo (kit self-check)', (ctx) => ({
  adapter: echoAdapter(),
  driver: {
    async playSession(a: ContractAgent) {
      for (const fact of SESSION) await post(ctx.bridgeUrl, a.token, { fact });
    },
    async requestApproval(a: ContractAgent) {
      return (await post(ctx.bridgeUrl, a.token, { approve: 'Bash' })).decision as 'allow' | 'deny' | 'ask';
    },
  },
}));
