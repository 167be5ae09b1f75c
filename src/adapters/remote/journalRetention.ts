// The remote frame journal is for delivery (ack after the write, resume from its mark); what the frames meant lives on
// in the fleet, usage and traces. So its rows are kept a week, pruned at start and then every hour.
import type { Clock } from '../../core/clock';
import type { Disposable } from '../../core/events';
import type { Logger } from '../../core/log';

export const JOURNAL_RETENTION_MS = 7 * 24 * 60 * 60_000;
const PRUNE_EVERY_MS = 60 * 60_000;

export function startJournalRetention(options: { readonly prune: (before: number) => number; readonly clock: Clock; readonly log: Logger; readonly retentionMs?: number }): Disposable {
  const retentionMs = options.retentionMs ?? JOURNAL_RETENTION_MS;
  let timer: unknown;
  let disposed = false;
  const run = (): void => {
    if (disposed) return;
    try {
      const removed = options.prune(options.clock.now() - retentionMs);
      if (removed > 0) options.log.info(`remote frame journal: pruned ${removed} frames older than ${Math.round(retentionMs / 86_400_000)} days`);
    } catch (err) {
      options.log.warn(`remote frame journal: prune failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    timer = options.clock.setTimeout(run, PRUNE_EVERY_MS);
  };
  run();
  return {
    dispose: () => {
      disposed = true;
      options.clock.clearTimeout(timer);
    },
  };
}
