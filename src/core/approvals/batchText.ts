// The wording of one notification for a batch of requests: how many, from how many agents, and which tools.
import type { PendingApproval } from '../../shared/approval';
import { visible } from '../../shared/visibleText';

/** "7 actions from 3 agents need approval (Bash 5, Edit 2)": the batch counted by agent and by tool. */
export function batchText(batch: readonly Pick<PendingApproval, 'agentId' | 'tool'>[]): string {
  const agents = new Set(batch.map((r) => r.agentId)).size;
  const tools = new Map<string, number>();
  // Tool names come from agents: hidden characters in them are shown as escapes.
  for (const r of batch) tools.set(visible(r.tool), (tools.get(visible(r.tool)) ?? 0) + 1);
  const byTool = [...tools].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([tool, n]) => `${tool} ${n}`);
  return `${batch.length} action${batch.length === 1 ? '' : 's'} from ${agents} agent${agents === 1 ? '' : 's'} need${batch.length === 1 ? 's' : ''} approval (${byTool.join(', ')})`;
}
