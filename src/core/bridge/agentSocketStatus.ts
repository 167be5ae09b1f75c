// Status changes a remote agent connection asks of the fleet, applied only when the state machine allows them:
// Fleet.apply still writes the patch of a refused move, which would overwrite e.g. a quarantine's reason.
import type { Fleet } from '../fleet/fleet';
import { transition } from '../statusMachine';
import type { StatusEvent } from '../statusMachine';

type Patch = Parameters<Fleet['apply']>[2];

/** Applies `event` with `patch` when the agent exists and the move is allowed; true when it was applied. */
export function applyIfAllowed(fleet: Fleet, agentId: string, event: StatusEvent, patch: Patch = {}): boolean {
  const agent = fleet.get(agentId);
  if (!agent || !transition(agent.status, event).ok) return false;
  fleet.apply(agentId, event, patch);
  return true;
}
