// Remote agents on the bridge: the socket transport (src/core/bridge) with the remote adapter activated on it. The
// composition root registers `adapter` with the registry (its per-agent scopes and control) and disposes the whole:
// every connection then ends as going away, its agent reported disconnected at once.
import type * as http from 'node:http';
import type { AdapterHost } from '../../core/agents/agentAdapter';
import { AgentSocketServer } from '../../core/bridge/agentSocketServer';
import { DisposableStore } from '../../core/events';
import type { Disposable } from '../../core/events';
import { RemoteAdapter } from './remoteAdapter';
import type { RemoteAdapterOptions } from './remoteAdapter';

export interface RemoteAgents extends Disposable {
  readonly adapter: RemoteAdapter;
}

export function startRemoteAgents(httpServer: http.Server, host: AdapterHost, options: Omit<RemoteAdapterOptions, 'transport'>): RemoteAgents {
  const d = new DisposableStore();
  const transport = d.add(new AgentSocketServer(httpServer, host.log));
  const adapter = new RemoteAdapter({ ...options, transport });
  // Added last, disposed first: the sessions end (and report) before the transport closes.
  d.add(adapter.activate(host));
  return { adapter, dispose: () => d.dispose() };
}
