// What a remote agent's event frame says, as a fact: `kind: "agent"`, `name: "exited"` is its process ending (with
// `attrs.exit_code` when it has one: 0 done, else failed; none: disconnected, with the message as the reason), as a
// runner reports it; every other event only shows the agent is alive.
import type { AgentSignal } from '../../core/agents/agentSignal';
import type { EventFrame } from '../../shared/protocol/event';

export const EXITED_EVENT = 'exited';

export function eventFact(frame: EventFrame): AgentSignal {
  if (frame.kind !== 'agent' || frame.name !== EXITED_EVENT) return { type: 'activity' };
  const code = frame.attrs?.exit_code;
  return {
    type: 'process',
    phase: 'exited',
    ...(typeof code === 'number' && Number.isInteger(code) ? { exitCode: code } : {}),
    ...(frame.message === undefined || frame.message === '' ? {} : { detail: frame.message.slice(0, 2048) }),
  };
}
