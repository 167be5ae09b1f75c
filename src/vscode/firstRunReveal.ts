// First run: when the first agent starts, the Flotilla view is revealed once, so a new user sees where their agent
// is supervised; a global flag remembers it was done (and is set at once for someone whose fleet already has agents).
import type { Event } from '../core/events';
import type { AgentSnapshot } from '../shared/agent';

/** The globalState key that remembers the view was revealed. */
export const FIRST_AGENT_REVEALED_KEY = 'flotilla.firstAgentViewRevealed';

export interface FirstRunRevealDeps {
  /** The agents the fleet has now (from the store). */
  readonly agents: () => readonly AgentSnapshot[];
  readonly onDidChangeAgent: Event<AgentSnapshot>;
  /** Where the flag lives (the extension's globalState). */
  readonly memento: { get<T>(key: string): T | undefined; update(key: string, value: unknown): PromiseLike<void> };
  /** Shows the Flotilla view with the agent's row, without taking focus from its terminal. */
  readonly reveal: (agent: AgentSnapshot) => PromiseLike<void>;
  readonly log: { warn(message: string): void };
}

/** Follows the fleet until its first agent starts; the returned disposable stops following. */
export function revealOnFirstAgent(deps: FirstRunRevealDeps): { dispose(): void } {
  const done = () => deps.memento.update(FIRST_AGENT_REVEALED_KEY, true).then(undefined, (err: unknown) => deps.log.warn(`could not remember the first-run reveal: ${String(err)}`));
  if (deps.memento.get<boolean>(FIRST_AGENT_REVEALED_KEY)) return { dispose: () => undefined };
  if (deps.agents().length > 0) {
    // Not a first run: this fleet had agents before the reveal existed.
    void done();
    return { dispose: () => undefined };
  }
  let fired = false;
  const subscription = deps.onDidChangeAgent((agent) => {
    if (fired) return;
    fired = true;
    subscription.dispose();
    void done();
    deps.reveal(agent).then(undefined, (err: unknown) => deps.log.warn(`could not reveal the Flotilla view: ${String(err)}`));
  });
  return subscription;
}
