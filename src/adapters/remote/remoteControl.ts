// Stop, pause, resume and message for remote agents: each is a `control` frame on the agent's live connection
// (docs/protocol.md, control). Stop of an agent that is not connected has nothing to reach and succeeds; the
// others fail with a reason a person can read.
import type { AgentControl } from '../../core/agents/agentAdapter';
import type { Logger } from '../../core/log';
import type { ControlAction } from '../../shared/protocol/control';

export interface ControlChannel {
  isConnected(agentId: string): boolean;
  sendControl(agentId: string, action: ControlAction, text?: string): boolean;
}

export class RemoteNotConnectedError extends Error {
  constructor(
    readonly agentId: string,
    readonly action: ControlAction,
  ) {
    super(`the remote agent is not connected: '${action}' cannot reach it (it gets no control frames until it says hello again)`);
    this.name = 'RemoteNotConnectedError';
  }
}

export class RemoteControl implements AgentControl {
  constructor(
    private readonly channel: ControlChannel,
    /** The log, once there is one (the adapter gets it when activated). */
    private readonly logger: () => Logger | undefined,
  ) {}

  /** Asks the agent to finish cleanly and close; the core marks it stopped whether or not it is connected. */
  async stop(agentId: string, why: string): Promise<void> {
    if (!this.channel.sendControl(agentId, 'stop')) {
      this.logger()?.info(`remote agent ${agentId}: not connected, no stop frame sent (${why})`);
      return;
    }
    this.logger()?.info(`remote agent ${agentId}: stop sent (${why})`);
  }

  async pause(agentId: string, why: string): Promise<void> {
    this.send(agentId, 'pause');
    this.logger()?.info(`remote agent ${agentId}: pause sent (${why})`);
  }

  async resume(agentId: string): Promise<void> {
    this.send(agentId, 'resume');
  }

  /** Throws FrameEncodeError for an empty text or one over 16 384 characters. */
  async message(agentId: string, text: string): Promise<void> {
    this.send(agentId, 'message', text);
  }

  private send(agentId: string, action: ControlAction, text?: string): void {
    if (!this.channel.sendControl(agentId, action, text)) throw new RemoteNotConnectedError(agentId, action);
  }
}
