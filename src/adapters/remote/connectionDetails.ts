// What a person gives a remote agent so it can connect (docs/protocol.md, Transport): the WebSocket URL, the agent
// id and a token. The token exists only here and in the agent's environment (the fleet keeps its hash), so showing
// the details again means issuing a new token, which invalidates the old one.
import { AGENT_SOCKET_PATH } from '../../core/bridge/agentSocketServer';

export interface RemoteConnectionDetails {
  readonly url: string;
  readonly agentId: string;
  readonly token: string;
  /** Environment lines for the example client or a runner: FLOTILLA_URL, FLOTILLA_AGENT_ID, FLOTILLA_TOKEN. */
  readonly env: string;
}

/** The details for an agent, from the bridge's http URL (http://127.0.0.1:PORT). */
export function remoteConnectionDetails(bridgeUrl: string, agentId: string, token: string): RemoteConnectionDetails {
  const url = `${bridgeUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}${AGENT_SOCKET_PATH}`;
  return { url, agentId, token, env: `FLOTILLA_URL=${url}\nFLOTILLA_AGENT_ID=${agentId}\nFLOTILLA_TOKEN=${token}` };
}

export interface ReissueDeps {
  readonly bridgeUrl: string;
  /** The agent if it exists and is remote (details of other kinds are not reissued here). */
  readonly agent: (agentId: string) => { readonly id: string; readonly kind: string } | undefined;
  /** Replaces the agent's token with a new one and returns it (the fleet keeps only its hash). */
  readonly reissueToken: (agentId: string) => string | undefined;
}

/** New connection details for a registered remote agent (the old token stops working); undefined when it is unknown. */
export function reissueRemoteConnection(deps: ReissueDeps, agentId: string): RemoteConnectionDetails | undefined {
  const agent = deps.agent(agentId);
  if (!agent || agent.kind !== 'remote') return undefined;
  const token = deps.reissueToken(agentId);
  return token === undefined ? undefined : remoteConnectionDetails(deps.bridgeUrl, agentId, token);
}
