// Pending requests as the queue would hold them, for the protocol and DOM tests and the bench.
import type { NewApproval } from '../../../src/core/approvals/approvalQueue';
import type { PendingApproval } from '../../../src/shared/approval';

/** The request for the n-th tool call of a fleet (Bash, Edit, Write, Read in turn; the turn shifts every 100). */
export function newApproval(agent: number, n: number): NewApproval {
  const base = { agentId: `agent-${agent}`, agentName: `Agent ${String(agent).padStart(3, '0')}`, cwd: `/work/wt/agent-${agent}`, tier: 'ask', rule: 'bash:git push*' };
  switch ((n + Math.floor(n / 100)) % 4) {
    case 0:
      return { ...base, tool: 'Bash', summary: `Bash: git push origin feature-${n}`, input: { command: `git push origin feature-${n}`, description: 'Push the branch' } };
    case 1:
      return {
        ...base,
        tool: 'Edit',
        rule: 'edit:src/**',
        summary: `Edit: src/module${n}.ts`,
        input: { file_path: `/work/wt/agent-${agent}/src/module${n}.ts`, old_string: 'const a = 1;\nconst b = 2;\nexport { a, b };', new_string: 'const a = 1;\nconst b = 3;\nexport { a, b };' },
      };
    case 2:
      return { ...base, tool: 'Write', rule: 'write:**', summary: `Write: notes/${n}.md`, input: { file_path: `/work/wt/agent-${agent}/notes/${n}.md`, content: `# Note ${n}\n\nSome text.\n` } };
    default:
      return { ...base, tool: 'Read', rule: 'read:/etc/**', tier: 'escalate', summary: `Read: /etc/hosts`, input: { file_path: '/etc/hosts' } };
  }
}

/** `count` requests spread over `agents` agents, as DTOs with ids and times. */
export function pendingApprovals(count: number, agents: number, now = 1_700_000_000_000): PendingApproval[] {
  return Array.from({ length: count }, (_, i) => ({
    ...newApproval(i % agents, i),
    id: `req-${String(i).padStart(5, '0')}`,
    createdAt: now - (count - i) * 1000,
    escalated: false,
  }));
}
