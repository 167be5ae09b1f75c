// Appends every approval outcome (user, policy, timeout, stale) to the hash-chained audit log, with a digest
// of the input rather than the input itself.
import { createHash } from 'node:crypto';
import type { Disposable } from '../events';
import type { Logger } from '../log';
import type { FleetStore } from '../store/store';
import type { ApprovalQueue } from './approvalQueue';

export function inputDigest(input: unknown): string {
  return createHash('sha256').update(JSON.stringify(input ?? null)).digest('hex');
}

export function recordApprovalsInAudit(queue: ApprovalQueue, store: FleetStore, log: Logger): Disposable {
  return queue.onDidSettle(({ request, resolution, latencyMs }) => {
    const decided = resolution.kind === 'decided';
    try {
      store.appendAudit({
        actor: decided ? resolution.decidedBy : resolution.why === 'timeout' ? 'timeout' : 'supervisor',
        action: decided ? `approval.${resolution.decision}` : `approval.${resolution.why}`,
        agentId: request.agentId,
        subject: request.summary,
        data: {
          requestId: request.id,
          sessionId: request.sessionId,
          tool: request.tool,
          inputSha256: inputDigest(request.input),
          tier: request.tier,
          rule: request.rule,
          reason: decided ? resolution.reason : resolution.reason,
          latencyMs,
        },
      });
    } catch (err) {
      log.error(`could not append the approval of ${request.summary} to the audit log: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
}
