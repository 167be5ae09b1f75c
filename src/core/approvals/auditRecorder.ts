// Appends every approval outcome (user, policy, timeout, stale) to the hash-chained audit log, with a digest
// of the input rather than the input itself.
import { createHash } from 'node:crypto';
import { writeJsonText } from '../../shared/jsonText';
import type { Disposable } from '../events';
import type { Logger } from '../log';
import type { FleetStore } from '../store/store';
import type { ApprovalQueue } from './approvalQueue';

/**
 * SHA-256 of the input's JSON text (the same text JSON.stringify writes, so digests stay comparable), written
 * without recursion: an input nested 20,000 levels deep still gets its digest, and this never throws.
 */
export function inputDigest(input: unknown): string {
  const hash = createHash('sha256');
  try {
    writeJsonText(input, (chunk) => hash.update(chunk));
    return hash.digest('hex');
  } catch (err) {
    // Only a hostile getter or proxy gets here; the record still says something reproducible about it.
    return createHash('sha256').update(`unserializable input: ${err instanceof Error ? err.message : String(err)}`).digest('hex');
  }
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
