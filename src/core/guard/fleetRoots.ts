// Keeps the tamper watch on the folders of the live agents: as agents start and end, the watched set follows.
import type { Disposable } from '../events';
import { DisposableStore } from '../events';
import type { Fleet } from '../fleet/fleet';
import { isEnded } from '../statusMachine';
import type { AgentSnapshot } from '../../shared/agent';
import type { TamperWatch, WatchRoot } from './tamperWatch';

/** The folders of the agents that may still act. */
export function watchRootsOf(agents: readonly AgentSnapshot[]): WatchRoot[] {
  return agents
    .filter((a) => !isEnded(a.status))
    .map((a) => (a.worktree ? { path: a.worktree.path, repoRoot: a.worktree.repoRoot } : { path: a.cwd }));
}

export function followFleet(fleet: Pick<Fleet, 'list' | 'onDidChangeAgent' | 'onDidRemoveAgent'>, watch: Pick<TamperWatch, 'setRoots'>): Disposable {
  const d = new DisposableStore();
  // setRoots ignores a call with the same roots, so the frequent status changes cost one comparison each.
  const update = () => void watch.setRoots(watchRootsOf(fleet.list()));
  d.add(fleet.onDidChangeAgent(update));
  d.add(fleet.onDidRemoveAgent(update));
  update();
  return d;
}
