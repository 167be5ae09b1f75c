// The wording of one notification for a batch of requests: how many, from which agents, which tools, and the most
// significant action (the first one a policy rule asked a human about, else the first).
import type { PendingApproval } from '../../shared/approval';
import { visible } from '../../shared/visibleText';

/** At most this many agent names are spelled out; the rest are counted ("alpha, bravo, charlie and 2 more"). */
const NAMED_AGENTS = 3;

type BatchItem = Pick<PendingApproval, 'agentId' | 'tool'> & Partial<Pick<PendingApproval, 'agentName' | 'tier'>>;

/** "alpha, bravo and charlie" (names escaped, in alphabetical order so a batch reads the same whoever asked first; an unnamed agent by its id). */
function agentList(batch: readonly BatchItem[]): string {
  const names = new Map<string, string>();
  for (const r of batch) if (!names.has(r.agentId)) names.set(r.agentId, visible(r.agentName ?? r.agentId));
  const all = [...names.values()].sort((a, b) => a.localeCompare(b));
  if (all.length === 1) return all[0]!;
  if (all.length <= NAMED_AGENTS) return `${all.slice(0, -1).join(', ')} and ${all.at(-1)!}`;
  return `${all.slice(0, NAMED_AGENTS).join(', ')} and ${all.length - NAMED_AGENTS} more`;
}

/** The request a batch notification leads with: the first a rule sent to a human (tier approve), else the first. */
export function leadRequest<T extends BatchItem>(batch: readonly T[]): T | undefined {
  return batch.find((r) => r.tier === 'approve' || r.tier === 'prohibited') ?? batch[0];
}

/** "7 actions from alpha, bravo and charlie need approval (Bash 5, Edit 2)": the batch by agent and by tool. */
export function batchText(batch: readonly BatchItem[]): string {
  const tools = new Map<string, number>();
  // Tool names come from agents: hidden characters in them are shown as escapes.
  for (const r of batch) tools.set(visible(r.tool), (tools.get(visible(r.tool)) ?? 0) + 1);
  const byTool = [...tools].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([tool, n]) => `${tool} ${n}`);
  return `${batch.length} action${batch.length === 1 ? '' : 's'} from ${agentList(batch)} need${batch.length === 1 ? 's' : ''} approval (${byTool.join(', ')})`;
}
