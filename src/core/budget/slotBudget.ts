// The slot budget (`flotilla.maxConcurrentAgents`): how many local agents may hold a slot at once. Every live agent
// holds one, paused ones included (an idle, waiting or paused-for-budget agent still has its process and terminal).
// A refused launch names the agents that could give theirs up: idle ones first (longest idle first), never working.
import type { AgentSnapshot } from '../../shared/agent';
import { isEnded } from '../statusMachine';

/** Thrown by a launch the slot budget refuses; `idle` lists the agents whose slot could be freed, best first. */
export class SlotRefusal extends Error {
  constructor(
    readonly holders: number,
    readonly limit: number,
    readonly idle: readonly AgentSnapshot[],
  ) {
    super(`${holders} agents are running and the slot budget (flotilla.maxConcurrentAgents) is ${limit}: stop one or raise the setting`);
    this.name = 'SlotRefusal';
  }
}

/** Live agents that hold a slot. */
export function slotHolders(agents: readonly AgentSnapshot[], isLocal: (a: AgentSnapshot) => boolean): AgentSnapshot[] {
  return agents.filter((a) => isLocal(a) && !isEnded(a.status));
}

/** Holders not working now: idle (turn ended), waiting for input, paused for budget; the longest quiet first. */
export function idleHolders(holders: readonly AgentSnapshot[]): AgentSnapshot[] {
  const quiet = (a: AgentSnapshot): boolean => a.status === 'idle' || a.status === 'waiting-input' || a.budgetPaused === true;
  return holders.filter(quiet).sort((a, b) => (a.lastEventAt ?? a.createdAt) - (b.lastEventAt ?? b.createdAt));
}

/** Throws a SlotRefusal when no slot is free under `limit`. */
export function checkSlot(agents: readonly AgentSnapshot[], isLocal: (a: AgentSnapshot) => boolean, limit: number): void {
  const holders = slotHolders(agents, isLocal);
  if (holders.length >= limit) throw new SlotRefusal(holders.length, limit, idleHolders(holders));
}
