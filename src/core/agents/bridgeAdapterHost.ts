// What the core lends one adapter on the bridge: its routes are authenticated by agent token (of this kind) before
// the body is read, and a route handler that throws is contained to its agent (marked failed with the reason), never
// the bridge or the fleet. The reply is then a 500 that allows nothing.
import type { AgentKind } from '../../shared/status';
import { errorMessage } from '../../shared/errorMessage';
import type { BridgeServer } from '../bridge/bridgeServer';
import type { Disposable } from '../events';
import type { Fleet } from '../fleet/fleet';
import type { Logger } from '../log';
import type { AdapterHost, AdapterRoute, AgentSignalSink } from './agentAdapter';

export function bridgeAdapterHost(kind: AgentKind, label: string, deps: { bridge: Pick<BridgeServer, 'route'>; fleet: Fleet; sink: AgentSignalSink; log: Logger }): AdapterHost {
  const { bridge, fleet, sink, log } = deps;
  const ofKind = (token: string) => {
    const agent = fleet.findByToken(token);
    return agent?.kind === kind ? agent : undefined;
  };
  return {
    sink,
    log,
    agentByToken: ofKind,
    agent: (id) => fleet.get(id),
    route(path: string, handler: AdapterRoute): Disposable {
      return bridge.route(
        path,
        async (request, abort) => {
          const agent = request.agentId === undefined ? undefined : fleet.get(request.agentId);
          if (!agent) return { status: 401, body: { error: 'unknown agent token' } };
          try {
            return await handler({ agent, body: request.body }, abort);
          } catch (err) {
            log.error(`agent ${agent.name}: the ${label} adapter failed on ${path}: ${errorMessage(err)}`);
            fleet.apply(agent.id, 'errored', { statusReason: `${label} adapter failed: ${errorMessage(err)}` });
            return { status: 500, body: { error: 'the adapter failed' } };
          }
        },
        { authenticate: (token) => ofKind(token)?.id },
      );
    },
  };
}
