// Export Audit Log's lines: the agent's name right after its id, nothing invented for unknown or absent agents,
// and the suggested file name.
import assert from 'node:assert/strict';
import type { AuditRow } from '../../../src/core/store/auditLog';
import { auditExportFileName, exportedEntry } from '../../../src/vscode/auditExportEntries';

const row = (agentId: string | null): AuditRow => ({ seq: 7, ts: 1, actor: 'user', action: 'approval.allow', agentId, subject: 'Bash: ls', data: { tool: 'Bash' }, prevHash: 'p', hash: 'h' });

describe('audit export entries', () => {
  it("puts the agent's name next to its id", () => {
    const entry = exportedEntry(row('a1'), (id) => (id === 'a1' ? 'reviewer-1' : undefined));
    assert.deepEqual(Object.keys(entry), ['seq', 'ts', 'actor', 'action', 'agentId', 'agentName', 'subject', 'data', 'prevHash', 'hash']);
    assert.equal(entry.agentName, 'reviewer-1');
  });

  it('leaves the name out for a removed agent and for rows about no agent', () => {
    assert.ok(!('agentName' in exportedEntry(row('gone'), () => undefined)));
    assert.ok(!('agentName' in exportedEntry(row(null), () => 'x')));
  });

  it('suggests flotilla-audit-<local date>.jsonl', () => {
    assert.equal(auditExportFileName(new Date(2026, 0, 5, 23, 59)), 'flotilla-audit-2026-01-05.jsonl');
  });
});
