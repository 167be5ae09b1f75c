// Interim: applies the terminal host's facts (process exited, waiting in the terminal) to the fleet until the core's
// signal router (P1, issue 10) is wired in the composition root; then this file goes.
import type { AgentSignalSink } from '../core/agents/agentAdapter';
import type { Fleet } from '../core/fleet/fleet';

export function interimTerminalFacts(fleet: Fleet): Pick<AgentSignalSink, 'signal'> {
  return {
    signal(agentId, s) {
      if (s.type === 'process') {
        if (s.exitCode === 0) fleet.apply(agentId, 'completed', { exitCode: 0 });
        else if (s.exitCode !== undefined) fleet.apply(agentId, 'errored', { exitCode: s.exitCode, statusReason: s.detail });
        else fleet.apply(agentId, 'connectionLost', { statusReason: s.detail });
      } else if (s.type === 'waiting' && s.for === 'terminal') {
        // waitingFor is the core's new snapshot field (issue 10); the cast goes with this file.
        fleet.apply(agentId, 'inputRequested', { statusReason: s.detail, waitingFor: 'terminal' } as Parameters<Fleet['update']>[1]);
      }
    },
  };
}
