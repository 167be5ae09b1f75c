// Keeps the tamper watch on the folders of the live agents that run on this machine: as agents start and end, the
// watched set follows. A remote agent's folder is a path on its own machine: the same path here is something else.
import type { Disposable } from '../events';
import { DisposableStore } from '../events';
import type { Fleet } from '../fleet/fleet';
import { isEnded } from '../statusMachine';
import type { AgentSnapshot } from '../../shared/agent';
import type { TamperWatch, WatchRoot } from './tamperWatch';

/** The folders of the local agents that may still act. */
export function watchRootsOf(agents: readonly AgentSnapshot[], isLocal: (agent: AgentSnapshot) => boolean): WatchRoot[] {
  return agents
    .filter((a) => !isEnded(a.status) && isLocal(a))
    .map((a) => (a.worktree ? { path: a.worktree.path, repoRoot: a.worktree.repoRoot } : { path: a.cwd }));
}

export function followFleet(fleet: Pick<Fleet, 'list' | 'onDidChangeAgent' | 'onDidRemoveAgent'>, watch: Pick<TamperWatch, 'setRoots'>, isLocal: (agent: AgentSnapshot) => boolean): Disposable {
  const d = new DisposableStore();
  // setRoots ignores a call with the same roots, so the frequent status changes cost one comparison each.
  const update = () => void watch.setRoots(watchRootsOf(fleet.list(), isLocal));
  d.add(fleet.onDidChangeAgent(update));
  d.add(fleet.onDidRemoveAgent(update));
  update();
  return d;
}
