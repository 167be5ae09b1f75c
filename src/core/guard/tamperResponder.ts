// What Flotilla does when a protected file changes behind its back: audit the change, and quarantine every live
// agent of that repository (of every repository for a file in the user's home), since any of them may have done it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Emitter } from '../events';
import type { Disposable, Event } from '../events';
import type { Logger } from '../log';
import type { AuditInput } from '../store/auditLog';
import { isEnded } from '../statusMachine';
import type { AgentSnapshot } from '../../shared/agent';
import type { TamperEvent } from './tamperWatch';
import type { Quarantines } from './quarantine';

export interface TamperResponse {
  readonly event: TamperEvent;
  /** The agents quarantined for it (already quarantined ones included: they got the evidence). */
  readonly agents: readonly AgentSnapshot[];
}

export interface TamperResponderDeps {
  readonly tamper: Event<TamperEvent>;
  readonly agents: () => readonly AgentSnapshot[];
  readonly quarantines: Pick<Quarantines, 'quarantine'>;
  readonly appendAudit: (entry: AuditInput) => void;
  readonly log: Logger;
}

export class TamperResponder implements Disposable {
  private readonly _onDidRespond = new Emitter<TamperResponse>();
  /** After each tamper event is audited and its agents quarantined. */
  readonly onDidRespond: Event<TamperResponse> = this._onDidRespond.event;
  private readonly subscription: Disposable;

  constructor(private readonly deps: TamperResponderDeps) {
    this.subscription = deps.tamper((e) => this.respond(e));
  }

  respond(event: TamperEvent): TamperResponse {
    const suspects = this.deps.agents().filter((a) => !isEnded(a.status) && inRepository(a, event));
    try {
      this.deps.appendAudit({
        actor: 'flotilla',
        action: 'tamper.detected',
        subject: event.file.slice(0, 500),
        data: { file: event.file, kind: event.kind, detail: event.detail, repoRoot: event.repoRoot, root: event.root, agents: suspects.map((a) => a.id) },
      });
    } catch (err) {
      this.deps.log.error(`could not audit the change of ${event.file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const reason = `${path.basename(event.file)} was ${event.kind} outside Flotilla`;
    const evidence = `${event.file} ${event.kind}: ${event.detail}`;
    const agents = suspects.map((a) => this.deps.quarantines.quarantine(a.id, reason, [evidence])).filter((a): a is AgentSnapshot => a !== undefined);
    const response = { event, agents };
    this._onDidRespond.fire(response);
    return response;
  }

  dispose(): void {
    this.subscription.dispose();
    this._onDidRespond.dispose();
  }
}

/** Whether the agent works in the repository of the event; a home file concerns every agent. */
export function inRepository(agent: AgentSnapshot, event: Pick<TamperEvent, 'repoRoot' | 'root'>): boolean {
  if (event.repoRoot === undefined) return true;
  const places = [agent.cwd, agent.worktree?.path, agent.worktree?.repoRoot].filter((p): p is string => !!p).map(real);
  return places.some((p) => isInside(p, event.repoRoot!) || isInside(p, event.root));
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function real(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}
