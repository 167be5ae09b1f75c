// A supervisor's `start` on the index socket (docs/protocol.md, "Starting an agent from Flotilla"): parsed with zod,
// turned into the request `flotilla-agent run` makes, started by the same RunnerAgents, answered with `start_result`
// (the agent's pid, or why not: a name in use, a command not installed, no git repository for a worktree).
import { MAX_PENDING_STARTS, MAX_START_ERROR_CHARS, parseRunnerStartRequest } from '../shared/protocol/runner';
import type { RunnerStartResult } from '../shared/protocol/runner';
import type { RunRequest } from './runRequest';
import { runRequestOfStart } from './runRequest';

export interface StartRequestDeps {
  /** RunnerAgents.start: the agent's pid, mode and folder, or throws why not. */
  readonly start: (request: RunRequest) => Promise<{ pid: number | undefined; mode: 'pty' | 'pipes'; cwd: string }>;
  /** Where agents started from Flotilla run (the folder `serve` runs in). */
  readonly cwd: string;
  readonly log: (line: string) => void;
}

export class StartRequests {
  private inFlight = 0;

  constructor(private readonly deps: StartRequestDeps) {}

  /** Answers one message from the index socket. */
  async handle(text: string): Promise<RunnerStartResult> {
    const parsed = parseRunnerStartRequest(text);
    const refuse = (requestId: string, error: string): RunnerStartResult => ({ type: 'start_result', request_id: requestId, ok: false, error: error.slice(0, MAX_START_ERROR_CHARS) });
    if (!parsed.ok) {
      this.deps.log(`refused a start request: ${parsed.error}`);
      return refuse(parsed.requestId, parsed.error);
    }
    const { request } = parsed;
    if (this.inFlight >= MAX_PENDING_STARTS) return refuse(request.request_id, `the runner is starting ${this.inFlight} agents already; try again when they have started`);
    this.inFlight++;
    try {
      const started = await this.deps.start(runRequestOfStart(request, this.deps.cwd));
      this.deps.log(`Flotilla started agent ${request.name} (${request.kind})`);
      return { type: 'start_result', request_id: request.request_id, ok: true, name: request.name, ...(started.pid === undefined ? {} : { pid: started.pid }), mode: started.mode, cwd: started.cwd };
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      this.deps.log(`could not start agent ${request.name} for Flotilla: ${why}`);
      return refuse(request.request_id, why || 'the runner could not start it');
    } finally {
      this.inFlight--;
    }
  }
}
