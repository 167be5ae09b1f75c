// What Export Audit Log writes, one JSON object a line: each audit row with the agent's name next to its id (names
// change and agents are removed; the id stays the key), and the suggested file name. vscode-free, tested in Node.
// The name is not part of the hashed content: Verify Audit Log and anyone re-checking the chain ignore it.
import type { AuditRow } from '../core/store/auditLog';

export type ExportedAuditEntry = Omit<AuditRow, 'agentId'> & { agentId: string | null; agentName?: string };

/** The row with `agentName` right after `agentId` (when the agent is known). */
export function exportedEntry(row: AuditRow, nameOf: (agentId: string) => string | undefined): ExportedAuditEntry {
  const { seq, ts, actor, action, agentId, ...rest } = row;
  const agentName = agentId === null ? undefined : nameOf(agentId);
  return { seq, ts, actor, action, agentId, ...(agentName === undefined ? {} : { agentName }), ...rest };
}

/** "flotilla-audit-2026-11-30.jsonl" (the local date). */
export function auditExportFileName(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `flotilla-audit-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.jsonl`;
}
