// What a remote agent's event frame says, as a fact: `kind: "agent"`, `name: "exited"` is its process ending (with
// `attrs.exit_code` when it has one: 0 done, else failed; none: disconnected, with the message as the reason), as a
// runner reports it; `name: "quota_wall"` is its turn refused at the model API's rate or usage limit (the message is
// the API's, `attrs.resets_at` the reset in epoch ms when the agent named one); every other event only shows the agent
// is alive.
import type { AgentSignal } from '../../core/agents/agentSignal';
import type { EventFrame } from '../../shared/protocol/event';

export const EXITED_EVENT = 'exited';
export const QUOTA_EVENT = 'quota_wall';

export function eventFact(frame: EventFrame): AgentSignal {
  if (frame.kind === 'agent' && frame.name === QUOTA_EVENT) {
    const at = (frame.attrs as { resets_at?: unknown } | undefined)?.resets_at;
    return {
      type: 'turn',
      phase: 'failed',
      ...(frame.message === undefined || frame.message === '' ? {} : { detail: frame.message.slice(0, 2048) }),
      quota: typeof at === 'number' && Number.isSafeInteger(at) && at > 0 ? { resetsAt: at } : {},
    };
  }
  if (frame.kind !== 'agent' || frame.name !== EXITED_EVENT) return { type: 'activity' };
  const code = frame.attrs?.exit_code;
  return {
    type: 'process',
    phase: 'exited',
    ...(typeof code === 'number' && Number.isInteger(code) ? { exitCode: code } : {}),
    ...(frame.message === undefined || frame.message === '' ? {} : { detail: frame.message.slice(0, 2048) }),
  };
}
