// A runner endpoint inside the test process for fault injection: the runner's real PublicServer (token file, bearer
// check) and one real AgentOutbox per agent, without agent processes, so a test can push frames at will and kill
// an agent's session socket from the runner's side.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebSocket } from 'ws';
import { Emitter } from '../../../src/core/events';
import { AgentOutbox } from '../../../src/runner/agentOutbox';
import { PublicServer } from '../../../src/runner/publicServer';
import { loadOrCreateToken } from '../../../src/runner/runnerToken';

export interface RunnerEndpoint {
  readonly url: string;
  readonly tokenFile: string;
  outbox(id: string): AgentOutbox;
  /** Terminates the agent's current session socket (no close frame), as a network failure would. */
  kill(id: string): boolean;
  dispose(): void;
}

export async function startRunnerEndpoint(ids: readonly string[], options: { fast?: boolean; maxFrames?: number } = {}): Promise<RunnerEndpoint> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-endpoint-'));
  const token = loadOrCreateToken(join(dir, 'token'));
  const changed = new Emitter<void>();
  const outboxes = new Map<string, AgentOutbox>();
  const sockets = new Map<string, WebSocket>();
  for (const id of ids) {
    outboxes.set(
      id,
      new AgentOutbox({
        identity: { name: id, host: 'endpoint' },
        maxFrames: options.maxFrames ?? 100_000,
        log: () => undefined,
        onControl: () => undefined,
        ...(options.fast ? { pace: { burst: 1_000_000, perSecond: 1_000_000 } } : {}),
      }),
    );
  }
  const server = new PublicServer({
    token,
    index: () => ({
      type: 'runner_agents',
      host: 'endpoint',
      agents: ids.map((id) => ({ id, name: id, kind: 'custom' as const, cwd: '/srv/work', running: true, unacked: outboxes.get(id)!.backlog })),
    }),
    onIndexChange: (listener) => changed.event(listener),
    attach: (id, socket, supervisorId) => {
      const outbox = outboxes.get(id);
      if (!outbox) return false;
      sockets.set(id, socket);
      outbox.attach(socket, supervisorId);
      return true;
    },
    hasAgent: (id) => outboxes.has(id),
    log: () => undefined,
  });
  const port = await server.listen('127.0.0.1', 0);
  return {
    url: `ws://127.0.0.1:${port}`,
    tokenFile: token.file,
    outbox: (id) => outboxes.get(id)!,
    kill: (id) => {
      const socket = sockets.get(id);
      if (!socket) return false;
      socket.terminate();
      return true;
    },
    dispose: () => {
      for (const outbox of outboxes.values()) outbox.close();
      server.dispose();
      changed.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
