// The custom command adapter (kind `custom`): any program the user names, supervised from outside. Flotilla knows
// only that it runs (reported here when it starts) and when it ends: the terminal host's `process exited` fact
// (code 0 done, another code failed). It reports nothing while it works, so the stall watch leaves it alone.
import type { AgentAdapter, AgentCapabilities, AgentSignalSink, LaunchPlan, LaunchSpec } from '../../core/agents/agentAdapter';
import type { DisposableStore } from '../../core/events';
import type { AgentSnapshot } from '../../shared/agent';
import { customCommandPlan } from './customPlan';

export class CustomCommandAdapter implements AgentAdapter {
  readonly kind = 'custom' as const;
  readonly label = 'Custom command';
  readonly capabilities: AgentCapabilities = {
    blockingApprovals: false,
    usage: 'none',
    spans: false,
    // The terminal host closes its terminal (stop) and types into it (message).
    controls: ['stop', 'message'],
    location: 'local',
    silentWhileWorking: true,
    commandLine: true,
  };

  plan(spec: LaunchSpec): Promise<LaunchPlan> {
    // A missing command line rejects (the launcher shows why), it does not throw.
    return Promise.resolve(spec).then(customCommandPlan);
  }

  /** A starting command is running as far as anyone can tell; found again after a reload, its status stands. */
  attach(agent: AgentSnapshot, sink: AgentSignalSink, _scope: DisposableStore): void {
    if (agent.status === 'starting') sink.signal(agent.id, { type: 'turn', phase: 'started' });
  }
}
