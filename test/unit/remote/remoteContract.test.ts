// The remote adapter through the contract suite every adapter passes: a protocol v1 session played by a real
// WebSocket client against the bridge's socket transport, the expected facts out; approvals through the sink.
import { adapterContract } from '../../kit/adapterContract';
import { AGENT_SOCKET_PATH, AgentSocketServer } from '../../../src/core/bridge/agentSocketServer';
import { RemoteAdapter } from '../../../src/adapters/remote/remoteAdapter';
import type { ApprovalDecisionFrame } from '../../../src/shared/protocol/approvalDecision';
import { TestAgent } from './remoteKit';

adapterContract('Remote', (ctx) => {
  const transport = new AgentSocketServer(ctx.bridge.httpServer, ctx.log);
  const url = `${ctx.bridgeUrl.replace(/^http/, 'ws')}${AGENT_SOCKET_PATH}`;
  const clients: TestAgent[] = [];
  const connect = async (agentId: string, token: string): Promise<TestAgent> => {
    const { agent } = await TestAgent.hello(url, agentId, token);
    clients.push(agent);
    return agent;
  };
  /** Sends a frame and resolves once the supervisor processed it (acked). */
  const processed = async (client: TestAgent, frame: Record<string, unknown>): Promise<void> => {
    await client.acked(client.send(frame));
  };
  return {
    adapter: new RemoteAdapter({ transport, stallTimeoutMs: () => 60_000 }),
    driver: {
      playSession: async ({ agent, token }) => {
        const client = await connect(agent.id, token);
        await processed(client, { type: 'heartbeat', elapsed_ms: 1, status: 'working', step: { k: 1, n: 2, label: 'plan' } });
        await processed(client, { type: 'span', span_id: 'm1', kind: 'model', name: 'plan', status: 'ok', started_at: 1, ended_at: 2, model: 'remote-model', tokens_in: 120, tokens_out: 8 });
        await processed(client, { type: 'span', span_id: 't1', kind: 'tool', name: 'Bash', status: 'running', started_at: 3, message: 'npm test' });
        await processed(client, { type: 'span', span_id: 't1', kind: 'tool', name: 'Bash', status: 'ok', started_at: 3, ended_at: 4 });
        await processed(client, { type: 'heartbeat', elapsed_ms: 5, status: 'idle' });
        await processed(client, { type: 'heartbeat', elapsed_ms: 6, status: 'done' });
        await client.close(1000, 'finished');
      },
      requestApproval: async ({ agent, token }) => {
        const client = clients.find((c) => c.ws.readyState === c.ws.OPEN) ?? (await connect(agent.id, token));
        const id = `r${client.nextSeq}`;
        const decision = client.next<ApprovalDecisionFrame>((f) => f.type === 'approval_decision' && f.request_id === id);
        client.send({ type: 'approval_request', request_id: id, tool: 'Bash', input: { command: 'git push' }, summary: 'Push the branch' });
        return (await decision).decision;
      },
    },
    dispose: async () => {
      for (const client of clients) await client.close();
      transport.dispose();
    },
  };
});
