// Which notification may still answer which request. VS Code cannot close a shown notification, so an old one stays
// clickable: only the newest notification offering a request (the escalation replaces the first one) answers it;
// a click on any other says the truth instead (answered elsewhere: who, how, when; or superseded by a newer one).
import type { PendingApproval } from '../../shared/approval';
import type { SettledApproval } from './approvalQueue';

export interface ClickSplit {
  /** Still pending and this notification is the newest offering them: the click answers these. */
  readonly live: PendingApproval[];
  /** Still pending, but a newer notification (an escalation) offers them: this click leaves them alone. */
  readonly superseded: PendingApproval[];
  /** Ended already (answered elsewhere, timed out, stale): the click tells how. */
  readonly settled: SettledApproval[];
  /** Ended so long ago that the queue forgot how. */
  readonly forgotten: PendingApproval[];
}

export interface RequestLookup {
  get(id: string): PendingApproval | undefined;
  settled(id: string): SettledApproval | undefined;
}

export class NoticeOwnership {
  private serial = 0;
  /** Request id -> the serial of the newest notification offering it (dropped when the request ends). */
  private readonly owner = new Map<string, number>();

  /** A new notification offers these requests: it becomes their only live one. Returns its serial. */
  claim(batch: readonly PendingApproval[]): number {
    const serial = ++this.serial;
    for (const r of batch) this.owner.set(r.id, serial);
    return serial;
  }

  /** The request ended: nothing offers it any more (keeps the map as small as the queue). */
  release(id: string): void {
    this.owner.delete(id);
  }

  /** Sorts a click on notification `serial` about `batch` into what it may answer and what it must explain. */
  split(batch: readonly PendingApproval[], serial: number, queue: RequestLookup): ClickSplit {
    const out: ClickSplit = { live: [], superseded: [], settled: [], forgotten: [] };
    for (const r of batch) {
      const pending = queue.get(r.id);
      if (pending) (this.owner.get(r.id) === serial ? out.live : out.superseded).push(pending);
      else {
        const settled = queue.settled(r.id);
        if (settled) out.settled.push(settled);
        else out.forgotten.push(r);
      }
    }
    return out;
  }
}
